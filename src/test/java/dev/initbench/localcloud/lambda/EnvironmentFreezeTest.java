package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.TestClients;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Freezing with a real provisioned environment behind the whole local cloud: work the function starts at init (an SSM
 * client and five GetParameter calls signed with the environment's own session credentials, and a 10 ms ticker)
 * makes no progress while the environment waits for its first invocation, and is paid for in that invocation; with
 * freezing off it is done by then. Between invocations the process is frozen, and nothing is left after close.
 */
class EnvironmentFreezeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long IDLE_MS = 6000;

    @Test
    void frozenEnvironmentMakesNoProgressBeforeItsFirstInvocationAndPaysForItThere() throws Exception {
        FirstInvocation first = provisionIdleAndInvoke(true);
        JsonNode facts = first.facts();
        assertThat(facts.get("workDoneBeforeInvocation").asBoolean()).as(facts.toString()).isFalse();
        assertThat(facts.get("callsDoneBeforeInvocation").asInt()).as(facts.toString())
                .isLessThan(InitStartedWorkHandler.CALLS);
        // The ticker can only have ticked outside the idle period (the rest of init, the checks after it).
        assertThat(facts.get("ticksBeforeInvocation").asLong() * 10).as("ms ticked; frozen for %d ms: %s", IDLE_MS,
                facts).isLessThanOrEqualTo(facts.get("sinceInitMs").asLong() - IDLE_MS + 50);
        assertThat(facts.get("joinMs").asDouble()).as("the first invocation waits for the init-started work: %s",
                facts).isGreaterThan(100);
        assertThat(facts.get("value").asText()).isEqualTo("forty-two");
        assertThat(first.frozenWhileIdle()).as("frozen while it waited for its first invocation").isTrue();
        assertThat(first.frozenAfterInvocation()).as("frozen again after it").isTrue();
        assertThat(first.hostCpuFrozenMs()).isZero();
        assertThat(first.hostCpuWallMs()).isGreaterThanOrEqualTo(facts.get("joinMs").asDouble() * 0.9);
    }

    @Test
    void withFreezingOffInitStartedWorkIsDoneBeforeTheFirstInvocation() throws Exception {
        FirstInvocation first = provisionIdleAndInvoke(false);
        JsonNode facts = first.facts();
        assertThat(facts.get("workDoneBeforeInvocation").asBoolean()).as(facts.toString()).isTrue();
        assertThat(facts.get("callsDoneBeforeInvocation").asInt()).isEqualTo(InitStartedWorkHandler.CALLS);
        assertThat(facts.get("ticksBeforeInvocation").asLong()).as(facts.toString()).isGreaterThan(IDLE_MS / 10 / 3);
        assertThat(facts.get("joinMs").asDouble()).as(facts.toString()).isLessThan(50);
        assertThat(first.frozenWhileIdle()).isFalse();
        assertThat(first.frozenAfterInvocation()).isFalse();
    }

    private record FirstInvocation(JsonNode facts, boolean frozenWhileIdle, boolean frozenAfterInvocation,
                                   double hostCpuWallMs, double hostCpuFrozenMs) {
    }

    private FirstInvocation provisionIdleAndInvoke(boolean freeze) throws Exception {
        List<Long> pids = new ArrayList<>();
        try (LocalCloud cloud = LocalCloud.builder().freezeIdleEnvironments(freeze).start();
             LambdaClient lambda = TestClients.lambda(cloud);
             SsmClient ssm = TestClients.ssm(cloud);
             CloudWatchLogsClient logs = TestClients.logs(cloud)) {
            ssm.putParameter(r -> r.name("/freeze/value").value("forty-two").type(ParameterType.STRING));
            lambda.createFunction(r -> r.functionName("init-work").runtime(Runtime.JAVA17)
                    .handler(LambdaTestSupport.INIT_STARTED_WORK_HANDLER).memorySize(512).timeout(60)
                    .role("arn:aws:iam::000000000000:role/r")
                    .environment(e -> e.variables(Map.of("PARAMETER_NAME", "/freeze/value")))
                    .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(
                            LambdaTestSupport.initStartedWorkZip())).build()));
            String version = lambda.publishVersion(r -> r.functionName("init-work")).version();
            lambda.putProvisionedConcurrencyConfig(r -> r.functionName("init-work").qualifier(version)
                    .provisionedConcurrentExecutions(1));
            ProvisionedConcurrencyStatusEnum status = ProvisionedConcurrencyStatusEnum.IN_PROGRESS;
            for (int poll = 0; poll < 1200 && status == ProvisionedConcurrencyStatusEnum.IN_PROGRESS; poll++) {
                Thread.sleep(100);
                status = lambda.getProvisionedConcurrencyConfig(r -> r.functionName("init-work").qualifier(version))
                        .status();
            }
            assertThat(status).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
            long pid = environmentPid();
            pids.add(pid);
            Thread.sleep(IDLE_MS);
            boolean frozenWhileIdle = frozen(pid);
            if (freeze) {
                long before = schedulerTotal(pid);
                Thread.sleep(500);
                assertThat(schedulerTotal(pid)).as("CPU plus run-queue wait of a frozen environment's threads")
                        .isEqualTo(before);
            }
            String payload = lambda.invoke(r -> r.functionName("init-work").qualifier(version)
                    .payload(SdkBytes.fromUtf8String("{}"))).payload().asUtf8String();
            JsonNode facts = JSON.readTree(payload);
            assertThat(facts.get("pid").asLong()).isEqualTo(pid);
            assertThat(facts.get("accessKeyId").asText()).as("the environment's own session key").startsWith("ASIA")
                    .isNotEqualTo(cloud.accessKeyId());
            assertThat(facts.get("sessionTokenSet").asBoolean()).isTrue();
            boolean frozenAfter = false;
            for (int poll = 0; poll < 50 && !frozenAfter; poll++) {
                Thread.sleep(100);
                frozenAfter = frozen(pid);
            }
            List<String> lines = logLines(logs);
            String report = lines.stream().filter(line -> line.startsWith("REPORT ")).findFirst().orElseThrow();
            String requestId = report.substring("REPORT RequestId: ".length(), report.indexOf('\t'));
            int reportIndex = lines.indexOf(report);
            Matcher invocation = HostCpuLineTest.INVOCATION.matcher(lines.get(reportIndex + 1));
            assertThat(invocation.matches()).as("HOSTCPU right after REPORT: %s", lines).isTrue();
            assertThat(invocation.group(1)).isEqualTo(requestId);
            assertThat(lines).filteredOn(line -> HostCpuLineTest.INIT.matcher(line).matches()).singleElement()
                    .asString().contains("Type: provisioned-concurrency");
            System.out.printf("freeze %s: first invocation after %d ms idle: %s; %s%n", freeze ? "on" : "off", IDLE_MS,
                    facts, lines.get(reportIndex + 1));
            String cgroup = cgroupOf(pid);
            cloud.close();
            LambdaTestSupport.assertNoEnvironmentProcessLeft(pids);
            if (cgroup != null) {
                assertThat(Path.of(cgroup)).as("the environment's cgroup is removed").doesNotExist();
            }
            return new FirstInvocation(facts, frozenWhileIdle, frozenAfter, Double.parseDouble(invocation.group(4)),
                    Double.parseDouble(invocation.group(5)));
        } finally {
            LambdaTestSupport.assertNoEnvironmentProcessLeft(pids);
        }
    }

    private static long environmentPid() {
        List<String> running = LambdaTestSupport.runningEnvironmentProcesses();
        assertThat(running).hasSize(1);
        return Long.parseLong(running.get(0).split(" ", 2)[0]);
    }

    private static List<String> logLines(CloudWatchLogsClient logs) {
        return logs.filterLogEvents(r -> r.logGroupName("/aws/lambda/init-work")).events().stream()
                .map(FilteredLogEvent::message).toList();
    }

    /** Frozen by the cgroup v2 freezer ({@code cgroup.events}) or stopped by a signal (every thread {@code T}). */
    static boolean frozen(long pid) throws IOException {
        String cgroup = cgroupOf(pid);
        if (cgroup != null && Files.exists(Path.of(cgroup, "cgroup.events"))
                && Files.readString(Path.of(cgroup, "cgroup.events")).contains("frozen 1")) {
            return true;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat = Files.readString(task.resolve("stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) != 'T') {
                    return false;
                }
            }
        }
        return true;
    }

    /** The process's cgroup v2 directory when it is in one of the local cloud's. */
    private static String cgroupOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            if (line.startsWith("0::") && line.contains("initbench-lambda-")) {
                for (String mount : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                    String[] fields = mount.split(" ");
                    if (fields[2].equals("cgroup2")) {
                        return fields[1] + line.substring(3);
                    }
                }
            }
        }
        return null;
    }

    /** Sum of CPU and run-queue wait over the process's threads (schedstat fields 1 and 2), ns. */
    private static long schedulerTotal(long pid) throws IOException {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String[] fields = Files.readString(task.resolve("schedstat")).trim().split(" ");
                total += Long.parseLong(fields[0]) + Long.parseLong(fields[1]);
            }
        }
        return total;
    }
}
