import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * Prints the package dependency cycles of compiled classes, with the class edges that close
 * them. Runs the JDK's own jdeps (no download), so anyone with a JDK gets the same answer:
 *
 *   mvn -q -pl functions -DskipTests compile
 *   java tools/PackageCycles.java functions/target/classes [package-prefix]
 *
 * A cycle is a strongly connected group of packages (each reaches every other). Exit code 0
 * when there is none, 1 when there are cycles, 2 on a usage error.
 */
public class PackageCycles {

    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+\\S+\\s*$");

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: java tools/PackageCycles.java <classes dir> [package prefix, default com.astra.]");
            System.exit(2);
        }
        String prefix = args.length > 1 ? args[1] : "com.astra.";
        Map<String, Set<String>> classEdges = edges(args[0], prefix);
        Map<String, Set<String>> packages = new TreeMap<>();
        Map<String, Set<String>> reasons = new TreeMap<>();
        classEdges.forEach((from, tos) -> tos.forEach(to -> {
            String a = packageOf(from);
            String b = packageOf(to);
            packages.computeIfAbsent(a, k -> new TreeSet<>());
            packages.computeIfAbsent(b, k -> new TreeSet<>());
            if (!a.equals(b)) {
                packages.get(a).add(b);
                reasons.computeIfAbsent(a + " -> " + b, k -> new TreeSet<>())
                        .add(simple(from) + " -> " + simple(to));
            }
        }));

        List<List<String>> cycles = new ArrayList<>();
        for (List<String> group : stronglyConnected(packages)) {
            if (group.size() > 1) {
                cycles.add(group);
            }
        }
        System.out.println(packages.size() + " packages, " + cycles.size() + " cycle(s)");
        for (List<String> group : cycles) {
            System.out.println();
            System.out.println("cycle: " + String.join(", ", group));
            for (String a : group) {
                for (String b : packages.get(a)) {
                    if (group.contains(b)) {
                        System.out.println("  " + a + " -> " + b);
                        reasons.get(a + " -> " + b).forEach(r -> System.out.println("      " + r));
                    }
                }
            }
        }
        System.exit(cycles.isEmpty() ? 0 : 1);
    }

    /** Class-level dependencies within {@code prefix}, as jdeps reports them. */
    private static Map<String, Set<String>> edges(String classes, String prefix) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err),
                "-verbose:class", "-filter:none", "-include", Pattern.quote(prefix) + ".*", classes);
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed (" + rc + "): " + err);
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.matches() && m.group(1).startsWith(prefix) && m.group(2).startsWith(prefix)) {
                edges.computeIfAbsent(outer(m.group(1)), k -> new TreeSet<>()).add(outer(m.group(2)));
            }
        }
        return edges;
    }

    /** Tarjan's algorithm; each group is sorted by name. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> groups = new ArrayList<>();
        int[] next = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, groups, next);
            }
        }
        return groups;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> groups, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, groups, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            TreeSet<String> group = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                group.add(w);
            } while (!w.equals(v));
            groups.add(new ArrayList<>(group));
        }
    }

    /** A nested class counts as its top-level class. */
    private static String outer(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
