package dev.initbench.localcloud.cloudformation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.initbench.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a template body, JSON or YAML, into plain maps, lists and scalars. YAML short-form tags ({@code !Ref x},
 * {@code !GetAtt a.b}, {@code !Sub ...}) become the long form ({@code {"Ref": "x"}}, {@code {"Fn::GetAtt": ["a",
 * "b"]}}), so everything after this class sees one representation.
 */
final class TemplateDocumentReader {

    private static final ObjectReader JSON = Json.READER.with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .forType(Object.class);

    private TemplateDocumentReader() {
    }

    static Map<String, Object> read(String body) {
        Object document = body.stripLeading().startsWith("{") ? readJson(body) : readYaml(body);
        if (!(document instanceof Map<?, ?> map)) {
            throw TemplateException.format("unsupported structure.");
        }
        Map<String, Object> template = new LinkedHashMap<>();
        map.forEach((key, value) -> template.put(String.valueOf(key), value));
        return template;
    }

    private static Object readJson(String body) {
        try {
            return JSON.readValue(body);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? ""
                    : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            throw TemplateException.format("JSON not well-formed." + where + ": " + e.getOriginalMessage());
        }
    }

    private static Object readYaml(String body) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        try {
            return new Yaml(new IntrinsicTagConstructor(options)).load(body);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where = mark == null ? ""
                    : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
            throw TemplateException.format("YAML not well-formed." + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw TemplateException.format("YAML not well-formed: " + e.getMessage());
        }
    }

    /** SafeConstructor plus CloudFormation's short-form tags; timestamps stay strings as CloudFormation keeps them. */
    private static final class IntrinsicTagConstructor extends SafeConstructor {

        IntrinsicTagConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            for (String function : List.of("Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select",
                    "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString")) {
                yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
            }
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new GetAttLongForm());
        }

        private Object content(Node node) {
            if (node instanceof ScalarNode scalar) {
                return constructScalar(scalar);
            }
            if (node instanceof SequenceNode sequence) {
                return new ArrayList<>(constructSequence(sequence));
            }
            Map<String, Object> map = new LinkedHashMap<>();
            constructMapping((MappingNode) node).forEach((key, value) -> map.put(String.valueOf(key), value));
            return map;
        }

        private final class LongForm extends AbstractConstruct {
            private final String function;

            LongForm(String function) {
                this.function = function;
            }

            @Override
            public Object construct(Node node) {
                Map<String, Object> call = new LinkedHashMap<>();
                call.put(function, content(node));
                return call;
            }
        }

        /** {@code !GetAtt Resource.Attribute} splits at the first dot; the list form passes through. */
        private final class GetAttLongForm extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                Object content = content(node);
                if (content instanceof String text) {
                    int dot = text.indexOf('.');
                    if (dot <= 0 || dot == text.length() - 1) {
                        throw TemplateException.format("'!GetAtt " + text + "' must have the form "
                                + "'!GetAtt Resource.Attribute' (or the list form [Resource, Attribute])");
                    }
                    content = new ArrayList<>(List.of(text.substring(0, dot), text.substring(dot + 1)));
                }
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("Fn::GetAtt", content);
                return call;
            }
        }
    }
}
