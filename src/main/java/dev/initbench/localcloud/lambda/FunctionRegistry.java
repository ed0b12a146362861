package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.context.CloudContext;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The functions: {@code $LATEST}, published versions and aliases, with CreateFunction's validation. Knows nothing
 * of environments; the service stops those when something here is deleted. Thread-safe.
 */
final class FunctionRegistry {

    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");

    /** CreateFunction's settings after validation, defaults applied. */
    record ValidatedSpec(LambdaService.FunctionSpec spec, int memorySizeMb, int timeoutSeconds,
                         Map<String, String> variables) {
    }

    private final CloudContext context;
    private final List<String> supportedRuntimes;
    private final NavigableMap<String, FunctionEntry> functions = new TreeMap<>();

    FunctionRegistry(CloudContext context, List<String> supportedRuntimes) {
        this.context = Objects.requireNonNull(context, "context");
        this.supportedRuntimes = List.copyOf(supportedRuntimes);
    }

    String functionArn(String functionName) {
        return "arn:aws:lambda:" + context.region() + ":" + context.accountId() + ":function:" + functionName;
    }

    /** Checks a CreateFunction request as Lambda does; the error names what is wrong. */
    ValidatedSpec validate(LambdaService.FunctionSpec spec) {
        String name = spec.functionName();
        if (name == null || !FUNCTION_NAME.matcher(name).matches()) {
            throw LambdaErrors.invalid("FunctionName '" + name + "' must be 1-64 letters, digits, '-' or '_'");
        }
        if (spec.runtime() == null || !supportedRuntimes.contains(spec.runtime())) {
            throw LambdaErrors.invalid("Value " + spec.runtime() + " at 'runtime' failed to satisfy constraint: "
                    + "runtime " + spec.runtime() + " is not supported by the local cloud: use one of "
                    + supportedRuntimes);
        }
        if (spec.handler() == null || spec.handler().isBlank()) {
            throw LambdaErrors.invalid("Handler is required for a .zip function, e.g. "
                    + "com.example.Handler::handleRequest");
        }
        int memory = spec.memorySizeMb() == null ? 128 : spec.memorySizeMb();
        if (memory < 128 || memory > 10240) {
            throw LambdaErrors.invalid("MemorySize " + memory + " must be between 128 and 10240 MB");
        }
        int timeout = spec.timeoutSeconds() == null ? 3 : spec.timeoutSeconds();
        if (timeout < 1 || timeout > 900) {
            throw LambdaErrors.invalid("Timeout " + timeout + " must be between 1 and 900 seconds");
        }
        Map<String, String> variables = spec.variables() == null ? Map.of() : spec.variables();
        List<String> reserved = variables.keySet().stream().filter(ReservedVariables.NAMES::contains).sorted()
                .toList();
        if (!reserved.isEmpty()) {
            throw LambdaErrors.invalid("Lambda was unable to configure your environment variables because the "
                    + "environment variables you have provided contains reserved keys that are currently not "
                    + "supported for modification. Reserved keys used in this request: "
                    + String.join(", ", reserved));
        }
        return new ValidatedSpec(spec, memory, timeout, variables);
    }

    synchronized void requireAbsent(String functionName) {
        if (functions.containsKey(functionName)) {
            throw LambdaErrors.conflict("Function already exist: " + functionName);
        }
    }

    /** Adds {@code $LATEST} of a new function. */
    synchronized FunctionVersion add(ValidatedSpec validated, DeploymentPackages.Unpacked code) {
        LambdaService.FunctionSpec spec = validated.spec();
        requireAbsent(spec.functionName());
        FunctionVersion latest = new FunctionVersion(spec.functionName(), functionArn(spec.functionName()),
                FunctionVersion.LATEST, spec.runtime(), spec.handler(), validated.memorySizeMb(),
                validated.timeoutSeconds(), spec.role(), spec.description() == null ? "" : spec.description(),
                validated.variables(), code.codeDirectory(), code.codeSize(), code.codeSha256(), LambdaService.now(),
                UUID.randomUUID().toString());
        functions.put(spec.functionName(), new FunctionEntry(latest));
        return latest;
    }

    /**
     * UpdateFunctionConfiguration and UpdateFunctionCode: {@code $LATEST} gets this configuration and code (a new
     * revision); returns the previous {@code $LATEST}. Published versions keep theirs.
     */
    synchronized FunctionVersion replaceLatest(ValidatedSpec validated, DeploymentPackages.Unpacked code) {
        LambdaService.FunctionSpec spec = validated.spec();
        FunctionEntry entry = entry(spec.functionName());
        FunctionVersion previous = entry.latest;
        entry.latest = new FunctionVersion(spec.functionName(), previous.functionArn(), FunctionVersion.LATEST,
                spec.runtime(), spec.handler(), validated.memorySizeMb(), validated.timeoutSeconds(), spec.role(),
                spec.description() == null ? "" : spec.description(), validated.variables(), code.codeDirectory(),
                code.codeSize(), code.codeSha256(), LambdaService.now(), UUID.randomUUID().toString());
        if (!code.codeDirectory().equals(previous.codeDirectory())) {
            entry.formerCodeDirectories.add(previous.codeDirectory());
        }
        return previous;
    }

    /** The code directories of earlier {@code $LATEST} configurations, to delete with the function. */
    synchronized List<java.nio.file.Path> formerCodeDirectories(String functionName) {
        return List.copyOf(entry(functionName).formerCodeDirectories);
    }

    /** {@code $LATEST}, a version, or the version an alias points at. */
    synchronized FunctionVersion resolve(FunctionReference reference) {
        FunctionEntry entry = entry(reference.name());
        String qualifier = reference.qualifier().orElse(FunctionVersion.LATEST);
        if (qualifier.equals(FunctionVersion.LATEST)) {
            return entry.latest;
        }
        FunctionVersion version = entry.versions.get(qualifier);
        if (version != null) {
            return version;
        }
        LambdaService.Alias alias = entry.aliases.get(qualifier);
        if (alias != null) {
            return alias.functionVersion().equals(FunctionVersion.LATEST) ? entry.latest
                    : entry.versions.get(alias.functionVersion());
        }
        throw LambdaErrors.notFound("Function not found: " + functionArn(reference.name()) + ":" + qualifier);
    }

    /** {@code $LATEST} of each function whose name sorts after {@code marker}, in name order, at most {@code limit}. */
    synchronized List<FunctionVersion> list(Optional<String> marker, int limit) {
        Map<String, FunctionEntry> after = marker.isPresent() ? functions.tailMap(marker.get(), false) : functions;
        return after.values().stream().limit(limit).map(entry -> entry.latest).toList();
    }

    /** Removes the function; returns its {@code $LATEST} (whose code directory is now unused). */
    synchronized FunctionVersion removeFunction(String functionName) {
        FunctionVersion latest = entry(functionName).latest;
        functions.remove(functionName);
        return latest;
    }

    /** Removes one published version that no alias points at. */
    synchronized FunctionVersion removeVersion(String functionName, String version) {
        if (version.equals(FunctionVersion.LATEST)) {
            throw LambdaErrors.invalid("$LATEST version cannot be deleted without deleting the function.");
        }
        FunctionEntry entry = entry(functionName);
        FunctionVersion removed = entry.versions.get(version);
        if (removed == null) {
            throw LambdaErrors.notFound("Function not found: " + functionArn(functionName) + ":" + version);
        }
        List<String> usedBy = entry.aliases.values().stream()
                .filter(alias -> alias.functionVersion().equals(version)).map(LambdaService.Alias::name).toList();
        if (!usedBy.isEmpty()) {
            throw LambdaErrors.conflict("Unable to delete version because the following aliases reference it: "
                    + usedBy);
        }
        entry.versions.remove(version);
        return removed;
    }

    synchronized FunctionVersion publish(String functionName, Optional<String> description) {
        FunctionEntry entry = entry(functionName);
        FunctionVersion last = entry.versions.isEmpty() ? null : entry.versions.lastEntry().getValue();
        if (last != null && last.codeSha256().equals(entry.latest.codeSha256())
                && last.revisionId().equals(entry.latest.revisionId())) {
            return last; // Lambda returns the existing version when nothing changed since it was published.
        }
        String number = Integer.toString(++entry.lastVersion);
        FunctionVersion published = entry.latest.publishedAs(number, LambdaService.now(), entry.latest.revisionId());
        if (description.isPresent()) {
            published = new FunctionVersion(published.functionName(), published.functionArn(), number,
                    published.runtime(), published.handler(), published.memorySizeMb(), published.timeoutSeconds(),
                    published.role(), description.get(), published.variables(), published.codeDirectory(),
                    published.codeSize(), published.codeSha256(), published.lastModified(), published.revisionId());
        }
        entry.versions.put(number, published);
        return published;
    }

    synchronized LambdaService.Alias createAlias(String functionName, String name, String functionVersion,
                                                 Optional<String> description) {
        if (name == null || !ALIAS_NAME.matcher(name).matches() || name.length() > 128) {
            throw LambdaErrors.invalid("Alias name '" + name + "' must be 1-128 letters, digits, '-' or '_' and "
                    + "not only digits");
        }
        FunctionEntry entry = entry(functionName);
        if (!FunctionVersion.LATEST.equals(functionVersion) && !entry.versions.containsKey(functionVersion)) {
            throw LambdaErrors.notFound("Function not found: " + functionArn(functionName) + ":" + functionVersion);
        }
        if (entry.aliases.containsKey(name)) {
            throw LambdaErrors.conflict("Alias already exists: " + functionArn(functionName) + ":" + name);
        }
        LambdaService.Alias alias = new LambdaService.Alias(functionName, name, functionVersion,
                description.orElse(""), functionArn(functionName) + ":" + name, UUID.randomUUID().toString());
        entry.aliases.put(name, alias);
        return alias;
    }

    /** Points an existing alias at another version (or {@code $LATEST}) with a new description and revision. */
    synchronized LambdaService.Alias updateAlias(String functionName, String name, String functionVersion,
                                                 Optional<String> description) {
        FunctionEntry entry = entry(functionName);
        LambdaService.Alias alias = getAlias(functionName, name);
        if (!FunctionVersion.LATEST.equals(functionVersion) && !entry.versions.containsKey(functionVersion)) {
            throw LambdaErrors.notFound("Function not found: " + functionArn(functionName) + ":" + functionVersion);
        }
        LambdaService.Alias updated = new LambdaService.Alias(functionName, name, functionVersion,
                description.orElse(""), alias.aliasArn(), UUID.randomUUID().toString());
        entry.aliases.put(name, updated);
        return updated;
    }

    synchronized LambdaService.Alias getAlias(String functionName, String name) {
        LambdaService.Alias alias = entry(functionName).aliases.get(name);
        if (alias == null) {
            throw LambdaErrors.notFound("Alias not found: " + functionArn(functionName) + ":" + name);
        }
        return alias;
    }

    /** Removes an alias; false when the function or alias is gone (DeleteAlias of a missing alias succeeds). */
    synchronized boolean removeAlias(String functionName, String name) {
        FunctionEntry entry = functions.get(functionName);
        return entry != null && entry.aliases.remove(name) != null;
    }

    private FunctionEntry entry(String name) {
        FunctionEntry entry = functions.get(name);
        if (entry == null) {
            throw LambdaErrors.notFound("Function not found: " + functionArn(name));
        }
        return entry;
    }

    /** One function: $LATEST, published versions, aliases. Guarded by the registry. */
    private static final class FunctionEntry {
        private FunctionVersion latest;
        /** Code of earlier {@code $LATEST} configurations, which published versions may still run. */
        private final List<java.nio.file.Path> formerCodeDirectories = new java.util.ArrayList<>();
        // Numeric order for version numbers, and safe for lookups with alias names.
        private final TreeMap<String, FunctionVersion> versions = new TreeMap<>(
                Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        private final Map<String, LambdaService.Alias> aliases = new TreeMap<>();
        private int lastVersion;

        private FunctionEntry(FunctionVersion latest) {
            this.latest = latest;
        }
    }
}
