import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Rewrites the classes of a jar that are older than Java 6 bytecode (picocli ships Java 5 classes)
 * as Java 8 bytecode with stack maps, in place. The JVM's AOT cache cannot hold classes older than
 * Java 6, so those would be loaded, parsed and verified again on every start; rewritten, they are
 * cached like the rest. The code itself is unchanged.
 *
 * <p>Usage: {@code java ModernizeClasses.java JAR}
 */
public class ModernizeClasses {

    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            List<Path> classes;
            try (Stream<Path> files = Files.walk(zip.getPath("/"))) {
                classes = files.filter(p -> p.toString().endsWith(".class") && !p.toString().startsWith("/META-INF/"))
                        .toList();
            }
            int rewritten = 0;
            for (Path path : classes) {
                byte[] bytes = Files.readAllBytes(path);
                int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
                if (major >= JAVA_6) {
                    continue;
                }
                ClassModel model = classFile.parse(bytes);
                byte[] modern = classFile.transformClass(model,
                        ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                .andThen(ClassTransform.endHandler(builder -> builder.withVersion(JAVA_8, 0))));
                // The JDK's own verifier rules decide: a class they refuse stays as it was.
                List<VerifyError> errors = classFile.verify(modern);
                if (!errors.isEmpty()) {
                    System.err.println("kept " + path + " as it was: " + errors.getFirst().getMessage());
                    continue;
                }
                Files.write(path, modern);
                rewritten++;
            }
            System.err.println("rewrote " + rewritten + " classes older than Java 6 as Java 8 bytecode");
        }
    }
}
