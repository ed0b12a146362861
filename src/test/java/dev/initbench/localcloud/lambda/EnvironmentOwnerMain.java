package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.logs.LogStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A JVM that owns a Lambda service with one running execution environment, prints {@code ENV_PID <pid>} and
 * {@code PDEATHSIG <true|false>}, and waits (at most 2 minutes) to be killed; {@link ProcessHygieneTest} kills it.
 * With the argument {@code sweep} it is instead the next service to start: it starts a Lambda service (which sweeps
 * the work directories of ended owners in {@code java.io.tmpdir}), closes it and exits.
 */
public final class EnvironmentOwnerMain {

    private EnvironmentOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        LambdaService lambda = new LambdaService(LambdaTestSupport.context(URI.create("http://127.0.0.1:9")),
                LambdaTestSupport.objects(), new LogStore(), LambdaSettings.builder().build());
        if (args.length == 1 && args[0].equals("sweep")) {
            lambda.close();
            return;
        }
        lambda.createFunction(new LambdaService.FunctionSpec("owned", "java17", LambdaTestSupport.MISBEHAVING_HANDLER,
                128, 10, "arn:aws:iam::123456789012:role/r", "", Map.of(),
                LambdaService.Code.s3(LambdaTestSupport.BUCKET, LambdaTestSupport.MISBEHAVING_KEY)));
        lambda.invoke("owned", Optional.empty(), "{}".getBytes(StandardCharsets.UTF_8));
        System.out.println("ENV_PID " + lambda.environments().get(0).pid());
        System.out.println("PDEATHSIG " + lambda.environmentsDieWithParent());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
