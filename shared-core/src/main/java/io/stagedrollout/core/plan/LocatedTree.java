package io.stagedrollout.core.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A YAML or JSON document read into a Jackson tree, remembering the line of every value by its path
 * ({@code rings[1].exposure}) so that validation can point at the line. Duplicate keys are problems, not silent
 * overwrites. Parser limits are set deliberately: plans are small, so anything huge or deeply nested is hostile
 * or a mistake.
 */
public final class LocatedTree {
    public static final int MAX_BYTES = 1 << 20;
    private static final int MAX_DEPTH = 40;
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(64 * 1024)
            .maxNumberLength(40)
            .maxDocumentLength(MAX_BYTES)
            .build();
    /** How many nodes a plan may have once YAML aliases are expanded: far above any real plan, far below a bomb. */
    private static final int MAX_NODES = 100_000;
    private static final YAMLFactory YAML = yamlFactory();
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(LIMITS).build();

    private final JsonNode root;
    private final Map<String, Integer> lines;

    private LocatedTree(JsonNode root, Map<String, Integer> lines) {
        this.root = root;
        this.lines = lines;
    }

    private static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20); // alias bombs ("billion laughs") stop here
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        return YAMLFactory.builder().loaderOptions(options).streamReadConstraints(LIMITS).build();
    }

    /** A tree without line information (a plan kept in stored state). */
    public static LocatedTree of(JsonNode root) {
        return new LocatedTree(root, Map.of());
    }

    /**
     * Parses {@code text}; JSON when it starts with '{', YAML otherwise. Syntax errors, duplicate keys and
     * exceeded limits are added to {@code problems} and null is returned for a document that cannot be read.
     */
    public static LocatedTree parse(String text, List<Problem> problems) {
        if (text.length() > MAX_BYTES) {
            problems.add(new Problem("", 0, "the plan is larger than " + MAX_BYTES + " bytes"));
            return null;
        }
        if (text.indexOf('\0') >= 0) {
            problems.add(new Problem("", 0, "the plan contains a NUL character; it is not a text file"));
            return null;
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            problems.add(new Problem("", 0, "the plan is empty"));
            return null;
        }
        JsonFactory factory = trimmed.startsWith("{") ? JSON : YAML;
        Map<String, Integer> lines = new HashMap<>();
        List<Problem> dupes = new ArrayList<>();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                problems.add(new Problem("", 0, "the plan is empty"));
                return null;
            }
            JsonNode root = new Reader(p, lines, dupes).read("");
            if (p.nextToken() != null) {
                problems.add(new Problem("", line(p), "the plan holds more than one document"));
                return null;
            }
            problems.addAll(dupes);
            return new LocatedTree(root, lines);
        } catch (JsonProcessingException e) {
            problems.add(new Problem("", e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid " + (factory == JSON ? "JSON" : "YAML") + ": " + e.getOriginalMessage()));
            return null;
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports alias and size limits as unchecked exceptions
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            problems.add(new Problem("", 0, "the plan cannot be read: " + firstLine(msg)));
            return null;
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation() == null ? 0 : p.currentTokenLocation().getLineNr();
    }

    /** Builds the tree from the token stream, expanding YAML aliases within a node budget. */
    private static final class Reader {
        private final JsonParser p;
        private final Map<String, Integer> lines;
        private final List<Problem> dupes;
        private final Map<String, JsonNode> anchors = new HashMap<>();
        private int nodes;

        Reader(JsonParser p, Map<String, Integer> lines, List<Problem> dupes) {
            this.p = p;
            this.lines = lines;
            this.dupes = dupes;
        }

        JsonNode read(String path) throws IOException {
            String anchor = p instanceof YAMLParser y ? y.getObjectId() : null;
            JsonNode node = readValue(path);
            if (anchor != null) anchors.put(anchor, node);
            return node;
        }

        private void count(int n) throws IOException {
            nodes += n;
            if (nodes > MAX_NODES) {
                throw new IOException("the plan has more than " + MAX_NODES + " values once YAML aliases are expanded (an alias bomb?)");
            }
        }

        private JsonNode readValue(String path) throws IOException {
            JsonNodeFactory nf = JsonNodeFactory.instance;
            lines.putIfAbsent(path, line(p));
            count(1);
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING && p instanceof YAMLParser y && y.isCurrentAlias()) {
                JsonNode target = anchors.get(p.getText());
                if (target == null) throw new IOException("the alias *" + p.getText() + " names no anchor defined before it");
                count(size(target));
                return target.deepCopy();
            }
            switch (t) {
                case START_OBJECT -> {
                    ObjectNode obj = nf.objectNode();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        int keyLine = line(p);
                        String childPath = path.isEmpty() ? name : path + "." + name;
                        p.nextToken();
                        if (obj.has(name)) {
                            dupes.add(new Problem(childPath, keyLine, "duplicate key '" + name + "'"));
                        }
                        lines.put(childPath, keyLine);
                        obj.set(name, read(childPath));
                    }
                    return obj;
                }
                case START_ARRAY -> {
                    ArrayNode arr = nf.arrayNode();
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        arr.add(read(path + "[" + i++ + "]"));
                    }
                    return arr;
                }
                case VALUE_STRING -> {
                    return nf.textNode(p.getText());
                }
                case VALUE_NUMBER_INT -> {
                    return switch (p.getNumberType()) {
                        case INT -> nf.numberNode(p.getIntValue());
                        case LONG -> nf.numberNode(p.getLongValue());
                        default -> nf.numberNode(p.getBigIntegerValue());
                    };
                }
                case VALUE_NUMBER_FLOAT -> {
                    return nf.numberNode(p.getDoubleValue());
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return nf.booleanNode(p.getBooleanValue());
                }
                case VALUE_NULL -> {
                    return nf.nullNode();
                }
                default -> throw new IOException("unexpected token " + t);
            }
        }

        private static int size(JsonNode n) {
            int s = 1;
            for (JsonNode c : n) s += size(c);
            return s;
        }
    }

    public JsonNode root() {
        return root;
    }

    /** The line of the value at {@code path}, or of its nearest located parent; 0 when unknown. */
    public int lineOf(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) return l;
            if (p.isEmpty()) return 0;
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }
}
