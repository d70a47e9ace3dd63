package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up must not read picocli's annotations: each annotation type read by reflection costs a
 * proxy class generated at run time, which the AOT cache cannot hold. The command line's model is
 * built by hand ({@link Specs}); only picocli's own completion command, loaded for
 * {@code ferry completion} alone, keeps its annotations.
 */
class NoAnnotationProxiesTest {

    @Test
    void noCommandLineClassCarriesAPicocliAnnotation() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> annotated = new ArrayList<>();
        List<Class<?>> scanned = cliClasses(classes);
        for (Class<?> type : scanned) {
            List<AnnotatedElement> elements = new ArrayList<>(List.of(type));
            elements.addAll(List.of(type.getDeclaredFields()));
            elements.addAll(List.of(type.getDeclaredMethods()));
            elements.addAll(List.of(type.getDeclaredConstructors()));
            for (Executable executable : Stream.concat(Stream.of(type.getDeclaredMethods()),
                    Stream.of(type.getDeclaredConstructors())).toList()) {
                for (Parameter parameter : executable.getParameters()) {
                    elements.add(parameter);
                }
            }
            for (AnnotatedElement element : elements) {
                for (Annotation annotation : element.getDeclaredAnnotations()) {
                    if (annotation.annotationType().getName().startsWith("picocli.")) {
                        annotated.add(element + ": @" + annotation.annotationType().getSimpleName());
                    }
                }
            }
        }

        assertTrue(scanned.contains(InspectCommand.class) && scanned.contains(RegistryOptions.class),
                "the scan saw the commands and their option groups: " + scanned);
        assertEquals(List.of(), annotated);
    }

    @Test
    void inspectAndHelpCommandLinesGenerateNoProxyClass(@TempDir Path tmp) throws Exception {
        String missing = "oci:" + tmp.resolve("no-such-layout") + ":1";
        List<List<String>> commandLines = List.of(
                List.of("inspect", "--tls-verify=false", "--override-arch", "arm64", "--retry-times", "1", "-f",
                        "{{.Digest}}", missing),
                List.of("pull", "--help"),
                List.of("copy", "--src-no-creds", "--format", "json", "--parallel", "2", "-q", missing,
                        "oci:" + tmp.resolve("copy") + ":1"));
        for (List<String> args : commandLines) {
            Path log = Files.createTempFile(tmp, "class-load", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xlog:class+load=info:file=" + log,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("output.txt").toFile()).start();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "ferry " + args + " finished");
            String output = Files.readString(tmp.resolve("output.txt"));
            assertFalse(output.contains("unexpected error"), output);
            String loaded = Files.readString(log);
            assertTrue(loaded.contains("dev.ferry.cli.Main "), "the log records the classes loaded: " + log);
            assertEquals(List.of(), loaded.lines().filter(line -> line.contains("__dynamic_proxy__")).toList(),
                    "ferry " + args + " generated proxy classes; output: " + output);
        }
    }

    private static List<Class<?>> cliClasses(Path classes) throws IOException, ClassNotFoundException {
        Path dir = classes.resolve("dev/ferry/cli");
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String simple = file.getFileName().toString().replaceFirst("\\.class$", "");
                found.add(Class.forName("dev.ferry.cli." + simple, false, Main.class.getClassLoader()));
            }
        }
        return found;
    }
}
