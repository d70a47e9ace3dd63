package dev.ferry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Holds the package order of README's design section: dependencies point down, never up and
 * never in a circle. A package not named in {@link #LAYERS} (a new leaf) is free to sit anywhere
 * as long as it forms no cycle; name it here once its place is clear.
 */
@AnalyzeClasses(packages = "dev.ferry", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Top to bottom; a package may use its own layer (without cycles) and any layer below it. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("aot"),
            List.of("cli"),
            List.of("template"),
            List.of(""),
            List.of("transfer", "inspect"),
            List.of("registry", "layout", "unpack"),
            List.of("credentials"),
            List.of("auth", "manifest", "compress"),
            List.of("http"),
            List.of("tls", "digest", "reference", "json", "files"),
            List.of("nativelib"));

    /** Layers between cli and json that template must not use: cli -> template -> json. */
    private static final List<String> ABOVE_TEMPLATE_TARGETS = List.of(
            "", "transfer", "inspect", "registry", "layout", "credentials", "auth", "tls", "manifest", "compress");

    @ArchTest
    static final ArchRule packagesDependOnEachOtherWithoutCycles =
            slices().matching("dev.ferry.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule aLowerPackageNeverDependsOnAHigherOne = lowerNeverUsesHigher();

    @ArchTest
    static final ArchRule templatesUseJsonButNotTheLibraryOrTheRegistryCode =
            noClasses().that().resideInAnyPackage(packages(List.of("template")))
                    .should().dependOnClassesThat().resideInAnyPackage(packages(ABOVE_TEMPLATE_TARGETS))
                    .because("cli -> template -> json: templates work on the JSON tree inspect prints");

    @ArchTest
    static final ArchRule theLibraryApiIsUsedOnlyByTheCommandLine =
            noClasses().that().resideOutsideOfPackages(packages(List.of("", "cli", "aot")))
                    .should().dependOnClassesThat().resideInAPackage("dev.ferry")
                    .because("cli -> Ferry -> the engine: the packages below Ferry never call back up");

    private static ArchRule lowerNeverUsesHigher() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 1; i < LAYERS.size(); i++) {
            List<String> higher = LAYERS.subList(0, i).stream().flatMap(List::stream).toList();
            rules.add(noClasses().that().resideInAnyPackage(packages(LAYERS.get(i)))
                    .should().dependOnClassesThat().resideInAnyPackage(packages(higher)));
        }
        String order = LAYERS.stream()
                .map(layer -> layer.stream().map(name -> name.isEmpty() ? "Ferry" : name).collect(Collectors.joining(", ", "{", "}")))
                .collect(Collectors.joining(" -> "));
        return CompositeArchRule.of(rules).as("packages depend only downwards: " + order);
    }

    /** ArchUnit package patterns: the root package alone for "", a package and its subpackages otherwise. */
    private static String[] packages(List<String> names) {
        return names.stream()
                .flatMap(name -> name.isEmpty() ? Stream.of("dev.ferry") : Stream.of("dev.ferry." + name + ".."))
                .toArray(String[]::new);
    }

    @ArchTest
    static void everyPackageTheLayersNameExists(JavaClasses classes) {
        // A renamed or misspelt package would otherwise drop out of the rules without a word.
        Set<String> present = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        List<String> named = LAYERS.stream().flatMap(List::stream).toList();
        assertEquals(named.size(), Set.copyOf(named).size(), "a package is in two layers: " + named);
        for (String name : named) {
            String pkg = name.isEmpty() ? "dev.ferry" : "dev.ferry." + name;
            assertTrue(present.stream().anyMatch(p -> p.equals(pkg) || p.startsWith(pkg + ".")), "no package " + pkg);
        }
    }
}
