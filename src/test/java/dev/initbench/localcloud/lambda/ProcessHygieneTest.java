package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environments die with the JVM that owns them: on SIGTERM through the shutdown hook, on SIGKILL through the
 * parent-death signal. Checked in the process table. The owner JVMs get a {@code java.io.tmpdir} of their own, so
 * the Lambda services of other JVMs on the host (parallel builds) never sweep their work directories; the next
 * service that sweeps them is started here, in that same directory.
 */
class ProcessHygieneTest {

    /** Above Linux's largest pid_max (2^22): no process this host can see has it, like one in another pid namespace. */
    private static final long PID_NOBODY_HERE_HAS = 4_194_305;

    @TempDir
    Path workRoot;

    @Test
    void sigtermOfTheOwnerStopsItsEnvironments() throws Exception {
        Owner owner = startOwner();
        owner.process().destroy(); // SIGTERM
        assertThat(owner.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertGone(owner.environmentPid());
        assertThat(entriesOf(owner.process().pid())).as("work directory and its lock removed by the shutdown hook")
                .isEmpty();
    }

    @Test
    void sigkillOfTheOwnerStopsItsEnvironments() throws Exception {
        Owner owner = killedOwner();
        assertThat(workDirectoriesOf(owner.process().pid())).as("left behind by SIGKILL").isNotEmpty();
        startNextService();
        assertThat(entriesOf(owner.process().pid())).as("work directory and its lock removed by the next service")
                .isEmpty();
    }

    @Test
    void theSweepKeepsALiveOwnersWorkDirectoryEvenWhenItCannotSeeItsPid() throws Exception {
        Owner owner = startOwner();
        try {
            // As an owner in another pid namespace sharing the directory looks: its pid is nobody's here.
            Path renamed = renameWorkDirectory(owner.process().pid(), PID_NOBODY_HERE_HAS);
            startNextService();
            assertThat(renamed).as("a live owner's work directory").isDirectory();
            assertThat(owner.process().isAlive()).isTrue();
        } finally {
            owner.process().destroy();
            owner.process().waitFor(30, TimeUnit.SECONDS);
        }
        assertGone(owner.environmentPid());
    }

    @Test
    void theSweepRemovesAnEndedOwnersWorkDirectoryEvenWhenItsPidIsInUseAgain() throws Exception {
        Owner owner = killedOwner();
        // As after pid reuse: the number now belongs to a live process (this test JVM, not the sweeping one).
        Path renamed = renameWorkDirectory(owner.process().pid(), ProcessHandle.current().pid());
        startNextService();
        assertThat(renamed).as("an ended owner's work directory").doesNotExist();
        assertThat(entriesOf(ProcessHandle.current().pid())).as("and its lock").isEmpty();
    }

    /** An owner killed with SIGKILL, its environment already checked gone; aborts where that cannot be covered. */
    private Owner killedOwner() throws Exception {
        Owner owner = startOwner();
        if (!owner.parentDeathSignal()) {
            owner.process().destroy();
            owner.process().waitFor(30, TimeUnit.SECONDS);
            Assumptions.abort("setpriv --pdeathsig is not available: SIGKILL of the owner cannot be covered");
        }
        owner.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(owner.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertGone(owner.environmentPid());
        return owner;
    }

    /** Renames the work directory of {@code pid} and its lock file as if {@code newPid} had made them. */
    private Path renameWorkDirectory(long pid, long newPid) throws IOException {
        List<Path> directories = workDirectoriesOf(pid);
        assertThat(directories).hasSize(1);
        String name = directories.get(0).getFileName().toString();
        String renamed = name.replaceFirst("^initbench-lambda-" + pid + "-", "initbench-lambda-" + newPid + "-");
        Files.move(workRoot.resolve(name + ".lock"), workRoot.resolve(renamed + ".lock"));
        return Files.move(directories.get(0), workRoot.resolve(renamed));
    }

    private List<Path> workDirectoriesOf(long pid) throws IOException {
        return entriesOf(pid).stream().filter(Files::isDirectory).toList();
    }

    /** The work directories and lock files named after {@code pid} in the owners' temporary directory. */
    private List<Path> entriesOf(long pid) throws IOException {
        try (var entries = Files.list(workRoot)) {
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

    /** Starts and closes a Lambda service in another JVM with the owners' temporary directory; it sweeps. */
    private void startNextService() throws Exception {
        Process service = new ProcessBuilder(javaCommand("sweep")).redirectErrorStream(true).start();
        String output = new String(service.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(service.exitValue()).as(output).isZero();
    }

    private Owner startOwner() throws Exception {
        Process process = new ProcessBuilder(javaCommand()).redirectErrorStream(true).start();
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

    /** {@link EnvironmentOwnerMain} with {@code arguments}, its temporary directory {@link #workRoot}. */
    private List<String> javaCommand(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + workRoot,
                "-Dlambda.artifact.path=" + System.getProperty("lambda.artifact.path"),
                EnvironmentOwnerMain.class.getName()));
        command.addAll(List.of(arguments));
        return command;
    }
}
