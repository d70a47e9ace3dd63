package dev.ferry.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformSelectorTest {

    private static final String SUBJECT = "example.com/app:1";

    /** An entry per platform ("os/arch[/variant]"); the digest is derived from the platform text. */
    private static Descriptor entry(String platform) {
        return entry(platform, MediaType.OCI_MANIFEST.value());
    }

    private static Descriptor entry(String platform, String mediaType) {
        return new Descriptor(mediaType, Digest.sha256((platform + mediaType).getBytes(StandardCharsets.UTF_8)), 500,
                null, null, PlatformTest.platform(platform), null);
    }

    private static Descriptor attestation(Digest subject) {
        return new Descriptor(MediaType.OCI_MANIFEST.value(), Digest.sha256(subject.toString().getBytes(StandardCharsets.UTF_8)),
                300, null, Map.of("vnd.docker.reference.type", "attestation-manifest",
                        "vnd.docker.reference.digest", subject.toString()),
                new Platform("unknown", "unknown", null), null);
    }

    private static ImageIndex index(List<Descriptor> descriptors) {
        byte[] raw = "{}".getBytes(StandardCharsets.UTF_8);
        return new ImageIndex(MediaType.OCI_INDEX, raw, Digest.sha256(raw), descriptors, null);
    }

    private static ImageIndex index(String... platforms) {
        List<Descriptor> descriptors = new ArrayList<>();
        for (String platform : platforms) {
            descriptors.add(entry(platform));
        }
        return index(descriptors);
    }

    private static String selected(ImageIndex index, String wanted) throws java.io.IOException {
        return PlatformSelector.select(SUBJECT, index, PlatformTest.platform(wanted)).platform().toString();
    }

    @ParameterizedTest(name = "{1} from [{0}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            // available platforms           | wanted          | chosen
            "linux/amd64 linux/arm64/v8      | linux/amd64     | linux/amd64",
            "linux/amd64 linux/arm64/v8      | linux/arm64     | linux/arm64/v8",
            "linux/amd64 linux/arm64/v8      | linux/aarch64   | linux/arm64/v8",
            "linux/amd64 linux/arm64         | linux/arm64/v8  | linux/arm64",
            "linux/x86_64 linux/arm64        | linux/amd64     | linux/x86_64",
            "linux/arm/v6 linux/arm/v7       | linux/arm/v7    | linux/arm/v7",
            "linux/arm/v7 linux/arm/v6       | linux/arm/v6    | linux/arm/v6",
            "linux/arm/v6 linux/arm/v7       | linux/arm       | linux/arm/v7",
            "linux/arm/v6 linux/amd64        | linux/arm/v7    | linux/arm/v6",
            "linux/arm/v5 linux/arm/v6       | linux/arm/v7    | linux/arm/v6",
            "linux/arm/v5 linux/arm/v6       | linux/armhf     | linux/arm/v6",
            "linux/arm/v5 linux/amd64        | linux/arm/v6    | linux/arm/v5",
            "linux/arm/v6                    | linux/arm       | linux/arm/v6",
            "linux/arm                       | linux/arm/v7    | linux/arm",
            "windows/amd64 linux/amd64       | linux/amd64     | linux/amd64",
    })
    void theBestEntryForTheWantedPlatformIsChosen(String available, String wanted, String chosen)
            throws java.io.IOException {
        assertEquals(chosen, selected(index(available.split(" ")), wanted));
    }

    @Test
    void theChosenDescriptorIsTheIndexEntryItself() throws java.io.IOException {
        Descriptor arm64 = entry("linux/arm64/v8");
        ImageIndex index = index(List.of(entry("linux/amd64"), arm64));
        assertEquals(arm64, PlatformSelector.select(SUBJECT, index, new Platform("linux", "arm64", null)));
    }

    @Test
    void entriesWithoutPlatformAndAttestationsAreIgnored() throws java.io.IOException {
        Descriptor amd64 = entry("linux/amd64");
        Descriptor noPlatform = new Descriptor(MediaType.OCI_MANIFEST.value(),
                Digest.sha256(new byte[] {1}), 10);
        ImageIndex index = index(List.of(noPlatform, attestation(amd64.digest()), amd64));
        assertEquals(amd64, PlatformSelector.select(SUBJECT, index, new Platform("linux", "amd64", null)));
    }

    @Test
    void nestedIndexesAreNotChosenAsImages() throws java.io.IOException {
        Descriptor nested = entry("linux/amd64", MediaType.OCI_INDEX.value());
        Descriptor image = entry("linux/amd64", MediaType.DOCKER_MANIFEST.value());
        ImageIndex index = index(List.of(nested, image));
        assertEquals(image, PlatformSelector.select(SUBJECT, index, new Platform("linux", "amd64", null)));
    }

    @ParameterizedTest(name = "{1} from [{0}]")
    @CsvSource(delimiter = '|', value = {
            "linux/amd64 linux/arm/v7        | linux/arm64",
            "linux/amd64 linux/arm/v7        | linux/arm/v6",
            "linux/amd64 linux/arm/v7        | windows/amd64",
            "linux/amd64 linux/arm/v7        | linux/amd64/v3",
            "linux/amd64 linux/arm/v7        | linux/s390x",
    })
    void whenNothingMatchesTheErrorListsWhatIsAvailable(String available, String wanted) {
        NoMatchingPlatformException e = assertThrows(NoMatchingPlatformException.class,
                () -> selected(index(available.split(" ")), wanted));
        assertEquals(SUBJECT, e.subject());
        assertTrue(e.getMessage().contains("available: linux/amd64, linux/arm/v7"), e.getMessage());
        assertTrue(e.getMessage().contains("no manifest for platform " + PlatformTest.platform(wanted).normalized()),
                e.getMessage());
        assertTrue(e.getMessage().contains("--override-arch"), e.getMessage());
    }

    @Test
    void anIndexWithoutPlatformsSaysNoneAreAvailable() {
        ImageIndex empty = index(List.of());
        NoMatchingPlatformException e = assertThrows(NoMatchingPlatformException.class,
                () -> PlatformSelector.select(SUBJECT, empty, new Platform("linux", "amd64", null)));
        assertTrue(e.getMessage().contains("available: none"), e.getMessage());
    }

    @Test
    void attestationsAloneDoNotMatch() {
        ImageIndex index = index(List.of(attestation(Digest.sha256(new byte[0]))));
        assertThrows(NoMatchingPlatformException.class,
                () -> PlatformSelector.select(SUBJECT, index, new Platform("linux", "amd64", null)));
    }

    @Test
    void anEntryForThePlatformThatIsAnIndexIsRefusedAsNestedRatherThanListedAsAvailable() {
        Descriptor nested = entry("linux/amd64", MediaType.OCI_INDEX.value());
        ImageIndex index = index(List.of(nested, entry("linux/arm64")));
        ManifestException e = assertThrows(ManifestException.class,
                () -> PlatformSelector.select(SUBJECT, index, new Platform("linux", "amd64", null)));
        assertTrue(e.unsupported());
        assertEquals(SUBJECT + ": the index's entry for linux/amd64 (" + nested.digest() + ") is itself an index, "
                + "a nested index, which ferry does not follow (copy or inspect it by that digest)", e.getMessage());
    }

    @Test
    void aNestedIndexForAnotherPlatformIsNotListedAsAvailable() {
        ImageIndex index = index(List.of(entry("linux/s390x", MediaType.DOCKER_MANIFEST_LIST.value()),
                entry("linux/arm64")));
        NoMatchingPlatformException e = assertThrows(NoMatchingPlatformException.class,
                () -> PlatformSelector.select(SUBJECT, index, new Platform("linux", "amd64", null)));
        assertTrue(e.getMessage().contains("(available: linux/arm64)"), e.getMessage());
    }

    @Test
    void aMessageListsTheFirstSixteenPlatformsAndCountsTheRest() {
        List<Descriptor> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(entry("linux/arch" + i));
        }
        NoMatchingPlatformException e = assertThrows(NoMatchingPlatformException.class,
                () -> PlatformSelector.select(SUBJECT, index(many), new Platform("linux", "amd64", null)));
        assertTrue(e.getMessage().contains("linux/arch14, linux/arch15 and 24 more)"), e.getMessage());
        assertTrue(!e.getMessage().contains("arch16"), e.getMessage());
    }
}
