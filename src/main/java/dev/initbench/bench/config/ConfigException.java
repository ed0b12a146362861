package dev.initbench.bench.config;

/** A scenario setting is missing, unknown or out of range; the message names it and what is allowed. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
