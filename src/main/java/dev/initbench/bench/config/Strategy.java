package dev.initbench.bench.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One init strategy the benchmark can deploy and load: a function of template.yaml with its {@code GET /<id>}
 * route, selected by the template parameter {@code Deploy<Name>}. Its {@link #id()} is also its endpoint's name in
 * every report.
 */
public enum Strategy {
    EAGER("eager", "Eager", Family.JAVA),
    LAZY("lazy", "Lazy", Family.JAVA),
    ASYNC_INIT("async-init", "AsyncInit", Family.JAVA),
    ESM("esm", "Esm", Family.NODE),
    CJS("cjs", "Cjs", Family.NODE);

    /** The runtime family (and deployment artifact) a strategy's function belongs to. */
    public enum Family { JAVA, NODE }

    /** What a run deploys when no strategies are named: the Java comparison. */
    public static final List<Strategy> DEFAULT = List.of(EAGER, LAZY);

    private final String id;
    private final String templateName;
    private final Family family;

    Strategy(String id, String templateName, Family family) {
        this.id = id;
        this.templateName = templateName;
        this.family = family;
    }

    /** Endpoint name and route: {@code eager} serves {@code GET /eager}. */
    public String id() {
        return id;
    }

    public Family family() {
        return family;
    }

    /**
     * The strategy that does during init the work this one leaves to its first invocation: eager for lazy (which
     * builds the client and fetches on the first request) and for async-init (whose fetch, started at init, is
     * frozen with the environment until the first invocation), esm for cjs (its promise started at init, likewise
     * frozen); empty for eager and esm, which defer nothing. The capacity estimate prices a deferring strategy's
     * first invocation from it.
     */
    public Optional<Strategy> initCounterpart() {
        return switch (this) {
            case LAZY, ASYNC_INIT -> Optional.of(EAGER);
            case CJS -> Optional.of(ESM);
            case EAGER, ESM -> Optional.empty();
        };
    }

    /** Whether its first invocation pays work its {@link #initCounterpart()} does at init. */
    public boolean defersInitWork() {
        return initCounterpart().isPresent();
    }

    /** The template parameter that deploys it, e.g. {@code DeployAsyncInit}. */
    public String deployParameter() {
        return "Deploy" + templateName;
    }

    /** The stack output holding its function's name, e.g. {@code EagerFunctionName}. */
    public String functionNameOutput() {
        return templateName + "FunctionName";
    }

    /** The stack output holding its live alias's ARN. */
    public String aliasArnOutput() {
        return templateName + "AliasArn";
    }

    /** The strategy of an id such as {@code async-init}. */
    public static Strategy fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst().orElseThrow(() -> new ConfigException(
                "unknown strategy '" + id + "': allowed are " + ids(List.of(values()))));
    }

    /**
     * A comma-separated selection such as {@code eager,lazy,esm}, in the order given.
     *
     * @throws ConfigException for an empty list, an unknown id or a repeated one
     */
    public static List<Strategy> parseList(String list) {
        List<Strategy> selected = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String id = part.trim();
            if (id.isEmpty()) {
                throw new ConfigException("strategies '" + list + "' has an empty entry: name one or more of "
                        + ids(List.of(values())) + ", separated by commas");
            }
            Strategy strategy = fromId(id);
            if (selected.contains(strategy)) {
                throw new ConfigException("strategies '" + list + "' names " + id + " twice");
            }
            selected.add(strategy);
        }
        return List.copyOf(selected);
    }

    /** The ids joined with commas, e.g. {@code eager,lazy}. */
    public static String ids(List<Strategy> strategies) {
        return String.join(",", strategies.stream().map(Strategy::id).toList());
    }
}
