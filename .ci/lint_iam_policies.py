#!/usr/bin/env python3
"""Lints the shipped IAM documents offline with cfn-lint's IAM rules (JSON shape, known actions, ARN syntax).

docs/aws/benchmark-role-policy.json becomes an AWS::IAM::ManagedPolicy and docs/aws/github-oidc-trust-policy.json
the AssumeRolePolicyDocument of an AWS::IAM::Role in a throw-away template, with the documents' placeholders
filled in. No AWS call is made. Exit status: cfn-lint's (0 clean), or 2 when a document is not valid JSON.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs" / "aws"
PLACEHOLDERS = {"ACCOUNT_ID": "123456789012", "REPO_SUBJECT": "octo-org/octo-repo", "OWNER/REPO": "octo-org/octo-repo"}


def load(name):
    text = (DOCS / name).read_text(encoding="utf-8")
    for placeholder, example in PLACEHOLDERS.items():
        text = text.replace(placeholder, example)
    return json.loads(text)


def main():
    try:
        permissions = load("benchmark-role-policy.json")
        trust = load("github-oidc-trust-policy.json")
    except (OSError, json.JSONDecodeError) as error:
        print(f"IAM document unreadable: {error}", file=sys.stderr)
        return 2
    size = len(json.dumps(permissions, separators=(",", ":")))
    if size > 6144:
        print(f"benchmark-role-policy.json is {size} characters without whitespace; a managed policy allows 6144")
        return 1
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "BenchmarkPolicy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": permissions}},
            "BenchmarkRole": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": trust, "ManagedPolicyArns": [{"Ref": "BenchmarkPolicy"}]}},
        },
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(template, handle)
    result = subprocess.run(["cfn-lint", handle.name], check=False)
    pathlib.Path(handle.name).unlink()
    if result.returncode == 0:
        print(f"IAM documents valid ({len(permissions['Statement'])} permission statements, {size} of 6144 characters)")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
