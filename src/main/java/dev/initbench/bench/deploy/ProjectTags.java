package dev.initbench.bench.deploy;

/**
 * Names and tags that mark what this project creates, so a later run (or the nightly workflow's cleanup step)
 * finds what a killed run left behind.
 */
public final class ProjectTags {

    /** Prefix of stack and run-scoped bucket names. */
    public static final String NAME_PREFIX = "initbench-";
    /** Tag key whose value is {@link #PROJECT}. */
    public static final String PROJECT_KEY = "initbench:project";
    public static final String PROJECT = "lambda-init-bench";
    /** Tag key holding the run id. */
    public static final String RUN_ID_KEY = "initbench:run-id";
    /** Tag key holding the ISO-8601 creation time. */
    public static final String CREATED_AT_KEY = "initbench:created-at";

    private ProjectTags() {
    }

    public static String stackName(RunId runId) {
        return NAME_PREFIX + runId.value();
    }

    public static String bucketName(RunId runId) {
        return NAME_PREFIX + runId.value();
    }
}
