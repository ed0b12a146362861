package dev.initbench.bench.deploy;

/** Deploying or tearing down failed; the message carries the first failed resource's reason when there is one. */
public class DeploymentException extends RuntimeException {

    public DeploymentException(String message) {
        super(message);
    }

    public DeploymentException(String message, Throwable cause) {
        super(message, cause);
    }
}
