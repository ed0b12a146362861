package dev.initbench.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The AWS SDK logs through the slf4j-api version it brings; the binding in the pom must be of the same major
 * version, or SLF4J prints its "no binding" notice on every run and drops the SDK's warnings.
 */
class LoggingBindingTest {

    @Test
    void theSdksSlf4jLogsToJavaUtilLogging() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
                .isEqualTo("org.slf4j.impl.JDK14LoggerFactory");
    }
}
