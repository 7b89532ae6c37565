package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md compiles against the project's class path, with the
 * imports the block states itself: a snippet's {@code import} lines go to the top of a class of its
 * own; the rest is the class's members when it starts with {@code static} (a method that takes what
 * the reader would have, e.g. a model), otherwise the body of a method, which is also run.
 */
class ReadmeSnippetsTest {

    static final Path README = Path.of("..", "README.md");

    private static final Pattern JAVA_BLOCK =
            Pattern.compile("^```java\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL);

    /** One snippet: its first line in the README, its imports and the rest. */
    record Snippet(int line, List<String> imports, String body) {

        boolean members() {
            return body.strip().startsWith("static ");
        }

        String className() {
            return "ReadmeSnippetAtLine" + line;
        }

        String source() {
            StringBuilder java = new StringBuilder();
            imports.forEach(i -> java.append(i).append('\n'));
            java.append("\npublic class ").append(className()).append(" {\n");
            if (members()) {
                java.append(body);
            } else {
                java.append("public static void run() throws Exception {\n")
                        .append(body)
                        .append("\n}\n");
            }
            return java.append("}\n").toString();
        }
    }

    static List<Snippet> snippets(String markdown) {
        List<Snippet> out = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown);
        while (m.find()) {
            int line =
                    1
                            + (int)
                                    markdown.substring(0, m.start())
                                            .chars()
                                            .filter(c -> c == '\n')
                                            .count();
            List<String> imports = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (String l : m.group(1).split("\n", -1)) {
                if (l.startsWith("import ")) {
                    imports.add(l);
                } else {
                    body.append(l).append('\n');
                }
            }
            out.add(new Snippet(line, imports, body.toString()));
        }
        return out;
    }

    /** Compiles sources into a folder; returns javac's diagnostics, empty when all compiled. */
    static String compile(List<Snippet> snippets, Path folder) throws IOException {
        List<File> files = new ArrayList<>();
        for (Snippet s : snippets) {
            Path file = folder.resolve(s.className() + ".java");
            Files.writeString(file, s.source(), StandardCharsets.UTF_8);
            files.add(file.toFile());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> options =
                List.of(
                        "-classpath",
                        classPath(),
                        "-d",
                        folder.toString(),
                        "-proc:none",
                        "-Xlint:none",
                        "-encoding",
                        "UTF-8");
        try (var fileManager = javac.getStandardFileManager(null, Locale.ROOT, null)) {
            boolean ok =
                    javac.getTask(
                                    diagnostics,
                                    fileManager,
                                    null,
                                    options,
                                    null,
                                    fileManager.getJavaFileObjectsFromFiles(files))
                            .call();
            return ok ? "" : diagnostics.toString();
        }
    }

    /** Surefire's class path (java.class.path may hold only its booter jar). */
    private static String classPath() {
        return System.getProperty(
                "surefire.test.class.path", System.getProperty("java.class.path"));
    }

    @Test
    void everyJavaSnippetOfTheReadmeCompilesAndTheStatementOnesRun(@TempDir Path folder)
            throws Exception {
        List<Snippet> snippets = snippets(Files.readString(README));
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(7);
        assertThat(compile(snippets, folder)).as("javac on the README's snippets").isEmpty();
        try (URLClassLoader loader =
                new URLClassLoader(
                        new URL[] {folder.toUri().toURL()}, getClass().getClassLoader())) {
            for (Snippet s : snippets) {
                if (!s.members()) {
                    Method run = loader.loadClass(s.className()).getMethod("run");
                    assertThat(Modifier.isStatic(run.getModifiers())).isTrue();
                    run.invoke(null);
                }
            }
        }
    }

    @Test
    void aSnippetThatMissesAnImportFailsToCompile(@TempDir Path folder) throws Exception {
        String broken =
                "```java\n"
                        + "import dev.descent.optim.Descent;\n\n"
                        + "Optimizer optimizer = Descent.adaBelief().build();\n"
                        + "```\n";
        List<Snippet> snippets = snippets("text\n" + broken);
        assertThat(snippets).singleElement().extracting(Snippet::line).isEqualTo(2);
        assertThat(compile(snippets, folder)).contains("cannot find symbol").contains("Optimizer");
    }

    @Test
    void bindDoesNotCompileOnAVariableTypedOptimizer(@TempDir Path folder) throws Exception {
        // the README's old form: bind(...) is Muon's (BindableOptimizer), not DJL's Optimizer's
        String old =
                "```java\n"
                        + "import ai.djl.nn.Block;\n"
                        + "import ai.djl.training.optimizer.Optimizer;\n"
                        + "import dev.descent.optim.Descent;\n\n"
                        + "static void bind(Block block) {\n"
                        + "    Optimizer optimizer = Descent.muon().build();\n"
                        + "    optimizer.bind(block);\n"
                        + "}\n"
                        + "```\n";
        assertThat(compile(snippets(old), folder)).contains("cannot find symbol").contains("bind");
    }
}
