package dev.initbench.localcloud.cloudformation;

/**
 * A template or parameter problem, with AWS's message (e.g. {@code Template format error: ...}). Found while
 * validating, it becomes a {@code ValidationError}; found while creating a resource, the failed resource's reason.
 */
final class TemplateException extends RuntimeException {

    TemplateException(String message) {
        super(message);
    }

    static TemplateException format(String problem) {
        return new TemplateException("Template format error: " + problem);
    }

    static TemplateException evaluation(String problem) {
        return new TemplateException("Template error: " + problem);
    }
}
