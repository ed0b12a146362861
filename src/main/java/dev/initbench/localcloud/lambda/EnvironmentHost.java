package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.logs.LogStore;
import java.util.concurrent.Executor;

/**
 * What every execution environment of one Lambda service shares: the cloud it calls back into, the log store,
 * the process launcher and the threads that serve the Runtime APIs.
 */
record EnvironmentHost(CloudContext context, LogStore logs, EnvironmentLauncher launcher,
                       Executor runtimeApiThreads) {
}
