package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.credentials.CredentialRegistry;
import dev.initbench.localcloud.logs.LogStore;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What every execution environment of one Lambda service shares: the cloud it calls back into, the registry its
 * session credentials are issued from, the log store, the process launcher, the threads that serve the Runtime APIs,
 * the service's cgroup (when the host has cgroup v2) and how idle environments are frozen (empty: not at all).
 */
record EnvironmentHost(CloudContext context, CredentialRegistry credentials, LogStore logs,
                       EnvironmentLauncher launcher, Executor runtimeApiThreads, Optional<EnvironmentCgroups> cgroups,
                       Optional<FreezeMethod> freezeMethod) {
}
