package dev.initbench.bench.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Resolves {@link ScenarioSettings} from, in increasing precedence: the built-in defaults for the target
 * ({@code scenario.yaml} next to this class), an optional config file of the same shape, and single overrides
 * (system properties {@code bench.<key>} or CLI options). Unknown keys and bad values are refused with a message
 * naming the key and what is allowed.
 */
public final class ScenarioSettingsLoader {

    /** Prefix of the system properties that override settings. */
    public static final String PROPERTY_PREFIX = "bench.";

    /** Override keys (system property {@code bench.<key>}), with what each sets. */
    public static final Map<String, String> OVERRIDE_KEYS = overrideKeys();

    private static final Set<String> FILE_KEYS = Set.of("region", "bucket", "provisionedConcurrency", "memorySize",
            "runtime", "parameterValue", "phases", "burst", "requestTimeoutSeconds", "maxInFlight",
            "deployTimeoutSeconds", "stackPollSeconds", "orphanAgeMinutes", "logWaitSeconds", "budgets",
            "steadyLatencyBoundMs", "validity", "allowSaturation", "strategies", "nodeRuntime", "freeze",
            "serviceLatencyMs", "connectionSetupMs");
    private static final Set<String> VALIDITY_KEYS = Set.of("maxCpuWaitShare", "capacityCpuShare");
    private static final Set<String> PHASE_KEYS = Set.of("name", "arrivalRate", "durationSeconds", "holdMs");
    /** The burst has no duration: it is sized from provisioned concurrency (see {@link ScenarioChecks}). */
    private static final Set<String> BURST_KEYS = Set.of("name", "arrivalRate", "holdMs", "extraArrivals");
    private static final String BURST_SIZED = "the burst is sized from provisioned concurrency: it has"
            + " provisionedConcurrency + extraArrivals arrivals (default max(2, 25 % of provisionedConcurrency)),"
            + " at arrivalRate; set burst.extraArrivals (bench.burstExtraArrivals, --burst-extra-arrivals) instead";
    private static final Set<String> BUDGET_KEYS = Set.of("eagerP99Ms", "lazyP99Ms", "maxErrors");
    /** The functions accept holdMs up to this (see ParameterFunction). */
    private static final double MAX_HOLD_MS = 10_000;
    private static final Set<String> RUNTIMES = Set.of("java21", "java25");
    private static final Set<String> NODE_RUNTIMES = Set.of("nodejs22.x", "nodejs24.x");

    private ScenarioSettingsLoader() {
    }

    private static Map<String, String> overrideKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("target", "local or aws (default local)");
        keys.put("config", "path of a scenario file overriding the defaults");
        keys.put("reportDir", "folder the run reports go to (default target/initbench)");
        keys.put("region", "AWS region");
        keys.put("bucket", "existing S3 bucket for the artifact (default: a run-scoped bucket)");
        keys.put("provisionedConcurrency", "provisioned environments per function");
        keys.put("memorySize", "MB per function");
        keys.put("runtime", "java21 or java25 (template.yaml's allowed values)");
        keys.put("nodeRuntime", "nodejs22.x or nodejs24.x, of the esm and cjs functions");
        keys.put("strategies", "comma-separated strategies to deploy and compare: eager, lazy, async-init, esm, cjs"
                + " (default eager,lazy)");
        keys.put("freeze", "true (default) or false: whether the local cloud freezes idle environments (local only;"
                + " Lambda always freezes)");
        keys.put("serviceLatencyMs", "local only: least time the local cloud takes to answer an execution environment's"
                + " request, for AWS's HTTPS round trip and service time (default 10, an assumption; 0 for none)");
        keys.put("connectionSetupMs", "local only: added to an environment's first request on a connection, for DNS,"
                + " TCP and TLS (default 10, an assumption)");
        keys.put("parameterValue", "value of the SSM parameter");
        keys.put("arrivalRate", "arrivals per second of the first steady phase");
        keys.put("durationSeconds", "duration of the first steady phase");
        keys.put("burstArrivalRate", "arrivals per second of the burst phase");
        keys.put("burstExtraArrivals", "arrivals of the burst beyond provisioned concurrency (default max(2, 25 % of it))");
        keys.put("burstHoldMs", "how long each burst request keeps its environment busy");
        keys.put("steadyLatencyBoundMs", "per-request latency the steady phases are sized for (Little's law)");
        keys.put("requestTimeoutSeconds", "per-request timeout");
        keys.put("maxInFlight", "bound on concurrently open requests");
        keys.put("deployTimeoutSeconds", "bound on stack creation and deletion");
        keys.put("stackPollSeconds", "delay between CloudFormation waiter polls");
        keys.put("orphanAgeMinutes", "age after which stacks left by killed runs are deleted");
        keys.put("logWaitSeconds", "how long to wait for REPORT log lines");
        keys.put("budget.eagerP99Ms", "eager-init p99 budget in ms");
        keys.put("budget.lazyP99Ms", "lazy-init p99 budget in ms");
        keys.put("budget.maxErrors", "non-2xx requests allowed per endpoint");
        keys.put("validity.maxCpuWaitShare", "share (0..1) of the compared requests' latency they may spend waiting"
                + " for a CPU of the local host before the run is invalid (default 0.25)");
        keys.put("validity.capacityCpuShare", "share (0..1] of the local host's cores the capacity estimate lets the"
                + " load's first seconds fill before it refuses the scenario (default 0.5)");
        keys.put("allowSaturation", "true: run a local scenario even when the capacity estimate says it would"
                + " saturate the host (default false)");
        return Map.copyOf(keys);
    }

    /** Settings from system properties {@code bench.*} (the JUnit suite's way in). */
    public static ScenarioSettings fromSystemProperties() {
        return load(overridesFrom(System.getProperties()));
    }

    /** The {@code bench.*} entries of a property set, without the prefix; unknown keys are refused. */
    public static Map<String, String> overridesFrom(Properties properties) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                overrides.put(name.substring(PROPERTY_PREFIX.length()), properties.getProperty(name));
            }
        }
        return overrides;
    }

    /**
     * Resolves settings from overrides: {@code target} picks the defaults, {@code config} names a file.
     *
     * @throws ConfigException naming the first bad key or value
     */
    public static ScenarioSettings load(Map<String, String> overrides) {
        for (String key : overrides.keySet()) {
            if (key.equals("burstDurationSeconds")) {
                throw new ConfigException("setting '" + PROPERTY_PREFIX + key + "' is not accepted: " + BURST_SIZED);
            }
            if (!OVERRIDE_KEYS.containsKey(key)) {
                throw new ConfigException("unknown setting '" + PROPERTY_PREFIX + key + "': allowed are "
                        + new TreeSet<>(OVERRIDE_KEYS.keySet()).stream().map(k -> PROPERTY_PREFIX + k).toList());
            }
        }
        TargetKind target = TargetKind.fromId(overrides.getOrDefault("target", TargetKind.LOCAL.id()));
        Map<String, Object> section = defaults(target);
        String file = overrides.get("config");
        if (file != null && !file.isBlank()) {
            mergeFile(section, Path.of(file), target);
        }
        applyOverrides(section, overrides);
        return bind(target, section);
    }

    private static Map<String, Object> defaults(TargetKind target) {
        try (InputStream in = ScenarioSettingsLoader.class.getResourceAsStream("scenario.yaml")) {
            if (in == null) {
                throw new IllegalStateException("scenario.yaml is missing from the classpath: rebuild the project");
            }
            return mutableSection(yaml().load(in), target, "built-in scenario.yaml");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in scenario.yaml", e);
        }
    }

    private static void mergeFile(Map<String, Object> section, Path file, TargetKind target) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("scenario file " + file.toAbsolutePath() + " does not exist: fix "
                    + PROPERTY_PREFIX + "config / --config");
        }
        Object document;
        try (Reader reader = Files.newBufferedReader(file)) {
            document = yaml().load(reader);
        } catch (IOException | YAMLException e) {
            throw new ConfigException("scenario file " + file + " is not valid YAML: " + e.getMessage());
        }
        if (!(document instanceof Map<?, ?> top) || top.keySet().stream().anyMatch(k -> !"local".equals(k) && !"aws".equals(k))) {
            throw new ConfigException("scenario file " + file + " must have only the top-level keys 'local' and/or"
                    + " 'aws', each holding settings like the built-in scenario.yaml");
        }
        if (top.containsKey(target.id())) {
            Map<String, Object> fileSection = mutableSection(top, target, file.toString());
            fileSection.forEach(section::put);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutableSection(Object document, TargetKind target, String source) {
        Object section = document instanceof Map<?, ?> map ? map.get(target.id()) : null;
        if (!(section instanceof Map)) {
            throw new ConfigException(source + ": '" + target.id() + "' must be a mapping of settings");
        }
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) section);
        for (String key : copy.keySet()) {
            if (!FILE_KEYS.contains(key)) {
                throw new ConfigException(source + ": unknown setting '" + target.id() + "." + key + "': allowed are "
                        + new TreeSet<>(FILE_KEYS));
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void applyOverrides(Map<String, Object> section, Map<String, String> overrides) {
        overrides.forEach((key, value) -> {
            switch (key) {
                case "target", "config", "reportDir" -> { }
                case "arrivalRate", "durationSeconds" -> firstPhase(section).put(key, value);
                case "burstArrivalRate" -> burst(section).put("arrivalRate", value);
                case "burstExtraArrivals" -> burst(section).put("extraArrivals", value);
                case "burstHoldMs" -> burst(section).put("holdMs", value);
                default -> {
                    if (key.startsWith("validity.")) {
                        Map<String, Object> validity = new LinkedHashMap<>(
                                (Map<String, Object>) section.getOrDefault("validity", Map.of()));
                        validity.put(key.substring("validity.".length()), value);
                        section.put("validity", validity);
                    } else if (key.startsWith("budget.")) {
                        Map<String, Object> budgets = new LinkedHashMap<>(
                                (Map<String, Object>) section.getOrDefault("budgets", Map.of()));
                        budgets.put(key.substring("budget.".length()), value);
                        section.put("budgets", budgets);
                    } else {
                        section.put(key, value);
                    }
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstPhase(Map<String, Object> section) {
        List<Object> phases = new ArrayList<>((List<Object>) section.getOrDefault("phases", List.of()));
        if (phases.isEmpty()) {
            throw new ConfigException("no steady phase to apply bench.arrivalRate / bench.durationSeconds to:"
                    + " add one under 'phases'");
        }
        Map<String, Object> first = new LinkedHashMap<>((Map<String, Object>) phases.get(0));
        phases.set(0, first);
        section.put("phases", phases);
        return first;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> burst(Map<String, Object> section) {
        Map<String, Object> burst = new LinkedHashMap<>((Map<String, Object>) section.getOrDefault("burst", Map.of()));
        section.put("burst", burst);
        return burst;
    }

    private static ScenarioSettings bind(TargetKind target, Map<String, Object> s) {
        String runtime = text(s, "runtime");
        if (!RUNTIMES.contains(runtime)) {
            throw new ConfigException("runtime '" + runtime + "' is not supported: allowed are " + new TreeSet<>(RUNTIMES));
        }
        List<LoadPhase> phases = new ArrayList<>();
        Object phaseList = s.get("phases");
        if (!(phaseList instanceof List<?> list) || list.isEmpty()) {
            throw new ConfigException("'phases' must be a non-empty list of {name, arrivalRate, durationSeconds}");
        }
        for (int i = 0; i < list.size(); i++) {
            phases.add(phase(list.get(i), "phases[" + i + "]"));
        }
        Budgets budgets = budgets(s.get("budgets"));
        String nodeRuntime = s.containsKey("nodeRuntime") ? text(s, "nodeRuntime") : "nodejs22.x";
        if (!NODE_RUNTIMES.contains(nodeRuntime)) {
            throw new ConfigException("nodeRuntime '" + nodeRuntime + "' is not supported: allowed are "
                    + new TreeSet<>(NODE_RUNTIMES));
        }
        int provisionedConcurrency = (int) number(s, "provisionedConcurrency", 1, 3000);
        // On AWS an unset region is left to the SDK's region chain; the local cloud needs one to play.
        ScenarioSettings settings = new ScenarioSettings(target,
                target == TargetKind.LOCAL ? Optional.of(text(s, "region"))
                        : Optional.ofNullable(s.get("region")).map(String::valueOf).filter(r -> !r.isBlank()),
                Optional.ofNullable(s.get("bucket")).map(String::valueOf).filter(b -> !b.isBlank()),
                provisionedConcurrency,
                (int) number(s, "memorySize", 128, 10240),
                runtime,
                text(s, "parameterValue"),
                phases,
                burst(s.get("burst"), provisionedConcurrency),
                seconds(s, "requestTimeoutSeconds", 1, 900),
                (int) number(s, "maxInFlight", 1, 100_000),
                seconds(s, "deployTimeoutSeconds", 10, 7200),
                seconds(s, "stackPollSeconds", 0.05, 60),
                Duration.ofMinutes((long) number(s, "orphanAgeMinutes", 1, 100_000)),
                seconds(s, "logWaitSeconds", 0, 900),
                budgets,
                Duration.ofMillis((long) number(s, "steadyLatencyBoundMs", 1, 600_000)),
                saturation(s),
                strategies(s.get("strategies")),
                nodeRuntime,
                freeze(s.get("freeze"), target),
                localLatency(s, "serviceLatencyMs", target),
                localLatency(s, "connectionSetupMs", target));
        ScenarioChecks.check(settings);
        return settings;
    }

    /**
     * A figure of the local cloud's model of AWS's network and service time (zero on AWS, which has the real thing;
     * setting it there is refused).
     */
    private static Duration localLatency(Map<String, Object> s, String key, TargetKind target) {
        if (target != TargetKind.LOCAL) {
            if (s.containsKey(key)) {
                throw new ConfigException("setting '" + key + "' is for the local target only: on AWS the network"
                        + " and the service take their real time");
            }
            return Duration.ZERO;
        }
        return Duration.ofMillis((long) number(s, key, 0, 10_000));
    }

    /** Freezing is a local-cloud switch: Lambda always freezes, so turning it off on AWS is refused. */
    private static boolean freeze(Object value, TargetKind target) {
        if (value == null) {
            return true;
        }
        String text = String.valueOf(value).trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw new ConfigException("setting 'freeze' is '" + value + "': allowed are true and false");
        }
        boolean freeze = Boolean.parseBoolean(text);
        if (!freeze && target != TargetKind.LOCAL) {
            throw new ConfigException("freeze=false (--no-freeze) is for the local target only: AWS Lambda always"
                    + " freezes idle execution environments");
        }
        return freeze;
    }

    /** A YAML list or a comma-separated string (the form of bench.strategies and --strategies). */
    private static List<Strategy> strategies(Object value) {
        if (value == null) {
            return Strategy.DEFAULT;
        }
        String list = value instanceof List<?> items
                ? String.join(",", items.stream().map(String::valueOf).toList()) : String.valueOf(value);
        return Strategy.parseList(list);
    }

    private static LoadPhase phase(Object value, String path) {
        if (!(value instanceof Map<?, ?> raw)) {
            throw new ConfigException("'" + path + "' must be a mapping with name, arrivalRate and durationSeconds");
        }
        Map<String, Object> map = stringKeys(raw, path, PHASE_KEYS);
        String name = map.containsKey("name") ? String.valueOf(map.get("name")) : path;
        double rate = number(map, "arrivalRate", 0.01, 10_000, path + ".");
        double seconds = number(map, "durationSeconds", 0.001, 86_400, path + ".");
        long holdMs = map.containsKey("holdMs") ? (long) number(map, "holdMs", 0, MAX_HOLD_MS, path + ".") : 0;
        return new LoadPhase(name, rate, Duration.ofMillis(Math.round(seconds * 1000)), Duration.ofMillis(holdMs));
    }

    private static LoadPhase burst(Object value, int provisionedConcurrency) {
        if (!(value instanceof Map<?, ?> raw)) {
            throw new ConfigException("'burst' must be a mapping with name, arrivalRate and holdMs");
        }
        if (raw.containsKey("durationSeconds")) {
            throw new ConfigException("setting 'burst.durationSeconds' is not accepted: " + BURST_SIZED);
        }
        Map<String, Object> map = stringKeys(raw, "burst", BURST_KEYS);
        String name = map.containsKey("name") ? String.valueOf(map.get("name")) : "burst";
        double rate = number(map, "arrivalRate", 0.01, 10_000, "burst.");
        long holdMs = (long) number(map, "holdMs", 0, MAX_HOLD_MS, "burst.");
        long extra = map.get("extraArrivals") == null ? ScenarioChecks.defaultBurstExtraArrivals(provisionedConcurrency)
                : (long) number(map, "extraArrivals", 1, 3000, "burst.");
        long arrivals = provisionedConcurrency + extra;
        return new LoadPhase(name, rate, ScenarioChecks.durationOf(arrivals, rate), Duration.ofMillis(holdMs));
    }

    private static SaturationSettings saturation(Map<String, Object> s) {
        Object value = s.get("validity");
        Map<String, Object> validity = value == null ? Map.of()
                : value instanceof Map<?, ?> raw ? stringKeys(raw, "validity", VALIDITY_KEYS) : null;
        if (validity == null) {
            throw new ConfigException("'validity' must be a mapping with keys " + new TreeSet<>(VALIDITY_KEYS));
        }
        double share = validity.get("maxCpuWaitShare") == null ? SaturationSettings.DEFAULT_MAX_CPU_WAIT_SHARE
                : number(validity, "maxCpuWaitShare", 0, 1, "validity.");
        Object allow = s.getOrDefault("allowSaturation", false);
        String text = String.valueOf(allow).trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw new ConfigException("setting 'allowSaturation' is '" + allow + "': it must be true or false");
        }
        double capacityShare = validity.get("capacityCpuShare") == null
                ? SaturationSettings.DEFAULT_CAPACITY_CPU_SHARE
                : number(validity, "capacityCpuShare", 0.001, 1, "validity.");
        return new SaturationSettings(share, Boolean.parseBoolean(text), capacityShare);
    }

    private static Budgets budgets(Object value) {
        Map<String, Object> map = value == null ? Map.of()
                : value instanceof Map<?, ?> raw ? stringKeys(raw, "budgets", BUDGET_KEYS) : null;
        if (map == null) {
            throw new ConfigException("'budgets' must be a mapping with keys " + new TreeSet<>(BUDGET_KEYS));
        }
        return new Budgets(optionalMs(map, "eagerP99Ms"), optionalMs(map, "lazyP99Ms"),
                map.containsKey("maxErrors") ? (long) number(map, "maxErrors", 0, Long.MAX_VALUE, "budgets.") : 0);
    }

    private static OptionalDouble optionalMs(Map<String, Object> map, String key) {
        return map.get(key) == null ? OptionalDouble.empty()
                : OptionalDouble.of(number(map, key, 0.001, 3_600_000, "budgets."));
    }

    private static Map<String, Object> stringKeys(Map<?, ?> raw, String path, Set<String> allowed) {
        Map<String, Object> map = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (!allowed.contains(String.valueOf(k))) {
                throw new ConfigException("unknown setting '" + path + "." + k + "': allowed are " + new TreeSet<>(allowed));
            }
            map.put(String.valueOf(k), v);
        });
        return map;
    }

    private static String text(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new ConfigException("setting '" + key + "' is required");
        }
        return String.valueOf(value);
    }

    private static double number(Map<String, Object> map, String key, double min, double max) {
        return number(map, key, min, max, "");
    }

    private static double number(Map<String, Object> map, String key, double min, double max, String path) {
        Object value = map.get(key);
        if (value == null) {
            throw new ConfigException("setting '" + path + key + "' is required: a number from " + plain(min)
                    + " to " + plain(max));
        }
        double number;
        try {
            number = value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("setting '" + path + key + "' is '" + value + "': it must be a number from "
                    + plain(min) + " to " + plain(max));
        }
        if (!(number >= min && number <= max)) {
            throw new ConfigException("setting '" + path + key + "' is " + plain(number) + ": allowed are " + plain(min)
                    + " to " + plain(max));
        }
        return number;
    }

    private static Duration seconds(Map<String, Object> map, String key, double min, double max) {
        return Duration.ofMillis(Math.round(number(map, key, min, max) * 1000));
    }

    private static String plain(double number) {
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? String.valueOf((long) number) : String.valueOf(number);
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
