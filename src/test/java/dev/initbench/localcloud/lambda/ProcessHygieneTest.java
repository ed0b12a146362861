package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Environments die with the JVM that owns them: on SIGTERM through the shutdown hook, on SIGKILL through the
 * parent-death signal. Checked in the process table.
 */
class ProcessHygieneTest {

    @Test
    void sigtermOfTheOwnerStopsItsEnvironments() throws Exception {
        Owner owner = startOwner();
        owner.process().destroy(); // SIGTERM
        assertThat(owner.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertGone(owner.environmentPid());
        assertThat(workDirectoriesOf(owner.process().pid())).as("work directory removed by the shutdown hook").isEmpty();
    }

    @Test
    void sigkillOfTheOwnerStopsItsEnvironments() throws Exception {
        Owner owner = startOwner();
        if (!owner.parentDeathSignal()) {
            owner.process().destroy();
            owner.process().waitFor(30, TimeUnit.SECONDS);
            Assumptions.abort("setpriv --pdeathsig is not available: SIGKILL of the owner cannot be covered");
        }
        owner.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(owner.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertGone(owner.environmentPid());
        assertThat(workDirectoriesOf(owner.process().pid())).as("left behind by SIGKILL").isNotEmpty();
        new LambdaService(LambdaTestSupport.context(java.net.URI.create("http://127.0.0.1:9")),
                LambdaTestSupport.objects(), new dev.initbench.localcloud.logs.LogStore(), LambdaSettings.defaults())
                .close();
        assertThat(workDirectoriesOf(owner.process().pid())).as("removed by the next service").isEmpty();
    }

    private static List<Path> workDirectoriesOf(long pid) throws IOException {
        try (var entries = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("initbench-lambda-" + pid + "-"))
                    .toList();
        }
    }

    private static void assertGone(long pid) throws InterruptedException {
        for (int poll = 0; poll < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); poll++) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("environment process " + pid).isEmpty();
    }

    private record Owner(Process process, long environmentPid, boolean parentDeathSignal) {
    }

    private static Owner startOwner() throws Exception {
        Path javaLauncher = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(javaLauncher.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dlambda.artifact.path=" + System.getProperty("lambda.artifact.path"),
                EnvironmentOwnerMain.class.getName())).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long pid = -1;
        boolean parentDeathSignal = false;
        for (int lines = 0; lines < 200; lines++) {
            String line = output.readLine();
            if (line == null) {
                break;
            }
            if (line.startsWith("ENV_PID ")) {
                pid = Long.parseLong(line.substring("ENV_PID ".length()));
            } else if (line.startsWith("PDEATHSIG ")) {
                parentDeathSignal = Boolean.parseBoolean(line.substring("PDEATHSIG ".length()));
                break;
            }
        }
        assertThat(pid).as("the owner JVM printed its environment's pid").isPositive();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isPresent();
        Thread drain = new Thread(() -> {
            try {
                output.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                // The owner ended.
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new Owner(process, pid, parentDeathSignal);
    }
}
