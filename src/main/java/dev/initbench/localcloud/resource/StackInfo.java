package dev.initbench.localcloud.resource;

/** The stack a resource is created for, with the values of its pseudo parameters. */
public record StackInfo(String stackName, String stackId, String region, String accountId) {
}
