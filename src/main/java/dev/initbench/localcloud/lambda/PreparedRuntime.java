package dev.initbench.localcloud.lambda;

import java.util.List;
import java.util.Map;

/** A chosen runtime installation, ready to launch execution environments of its functions. */
interface PreparedRuntime {

    RuntimeInstallation installation();

    /** The host memory one of its environments holds, which the host memory guard checks before a start. */
    EnvironmentFootprint footprint();

    /**
     * The environment's command line (without any process-supervision prefix, which {@link EnvironmentLauncher}
     * adds) and the variables this family sets beside the reserved ones of {@link ReservedVariables}.
     */
    ProcessLaunch launch(FunctionVersion function, InitializationType initializationType);

    /** What the INIT_START platform line says after {@code INIT_START }: runtime version and chosen binary. */
    String initStartDescription(FunctionVersion function);

    /** A command line plus the variables the runtime family adds. */
    record ProcessLaunch(List<String> command, Map<String, String> variables) {
        public ProcessLaunch {
            command = List.copyOf(command);
            variables = Map.copyOf(variables);
        }
    }
}
