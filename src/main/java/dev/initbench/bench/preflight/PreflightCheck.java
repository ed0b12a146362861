package dev.initbench.bench.preflight;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of the preflight: what was checked, the outcome, the numbers behind it and, when it is short, the fix.
 *
 * @param name   short name ({@code identity}, {@code region}, {@code concurrency}, ...)
 * @param status the outcome
 * @param detail what was found, with its numbers
 * @param fix    what to do about a WARN or FAIL
 */
public record PreflightCheck(String name, CheckStatus status, String detail, Optional<String> fix) {

    public PreflightCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(fix, "fix");
    }

    public static PreflightCheck pass(String name, String detail) {
        return new PreflightCheck(name, CheckStatus.PASS, detail, Optional.empty());
    }

    public static PreflightCheck warn(String name, String detail, String fix) {
        return new PreflightCheck(name, CheckStatus.WARN, detail, Optional.of(fix));
    }

    public static PreflightCheck fail(String name, String detail, String fix) {
        return new PreflightCheck(name, CheckStatus.FAIL, detail, Optional.of(fix));
    }
}
