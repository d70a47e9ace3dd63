package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.http.HttpClients;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Repository;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers a registry may craft: their real status is reported, and no loop follows them for ever. */
class HostileAnswersTest {

    FakeRegistry registry;
    RegistryClients clients;
    Repository repository;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        clients = new RegistryClients(HttpClients.create(null, Duration.ofSeconds(5), Duration.ofSeconds(5)));
        repository = ImageReference.parseRepository(registry.hostPort() + "/apps/web");
        for (int i = 0; i < 5; i++) {
            registry.put("apps/web", "t" + i, TestImage.builder().build());
        }
    }

    @AfterEach
    void stop() {
        clients.close();
        registry.close();
    }

    @Test
    void anUploadAnsweredWith202WithoutALocationIsReportedWith202() {
        registry.intercept("POST", ".*/blobs/uploads/", request -> new MockResponse.Builder().code(202).build());
        PushClient push = clients.pushClient(repository, RegistryAccess.anonymous(), null, PushClient.DEFAULT_CHUNK_SIZE);

        RegistryException e = assertThrows(RegistryException.class, push::startUpload);

        assertEquals(202, e.status());
        assertEquals(RegistryException.Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("HTTP 202 INVALID_RESPONSE"), e.getMessage());
    }

    @Test
    void aTagListLongerThanThePageLimitFailsHoldingTheTagsReadSoFar() {
        registry.tagPageSize = 1;
        RegistryClient client = clients.client(repository, RegistryAccess.anonymous());

        TagListTruncatedException e = assertThrows(TagListTruncatedException.class, () -> client.tags(3, TagLister.MAX_TOTAL_BYTES));

        assertEquals(List.of("t0", "t1", "t2"), e.partial());
        assertEquals(RegistryException.Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("past 3 pages"), e.getMessage());
        assertEquals(3, registry.count("/v2/apps/web/tags/list"), "no page past the limit was asked for");
    }

    @Test
    void aTagListOfExactlyThePageLimitIsComplete() throws Exception {
        registry.tagPageSize = 1;

        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), clients.client(repository, RegistryAccess.anonymous()).tags(5, TagLister.MAX_TOTAL_BYTES));
    }

    @Test
    void aTagListLinkingBackToAPageAlreadyReadEnds() throws Exception {
        registry.on("/v2/apps/web/tags/list", new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .addHeader("Link", "</v2/apps/web/tags/list>; rel=\"next\"")
                .body("{\"name\":\"apps/web\",\"tags\":[\"only\"]}").build());

        assertEquals(List.of("only"), clients.client(repository, RegistryAccess.anonymous()).tags());
        assertEquals(1, registry.count("/v2/apps/web/tags/list"));
    }

    @Test
    void aTagListLargerThanTheByteLimitFailsHoldingTheTagsReadSoFar() {
        registry.tagPageSize = 2;
        RegistryClient client = clients.client(repository, RegistryAccess.anonymous());

        // Each page of two tags is 38 bytes: the second one passes 60.
        TagListTruncatedException e = assertThrows(TagListTruncatedException.class, () -> client.tags(100, 60));

        assertEquals(List.of("t0", "t1"), e.partial());
        assertTrue(e.getMessage().contains("larger than 60 bytes"), e.getMessage());
    }

    @Test
    void aTagListPageLargerThanSixteenMebibytesIsRefusedAsSuch() {
        registry.on("/v2/apps/web/tags/list", new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body(new okio.Buffer().write(new byte[16 * 1024 * 1024 + 1])).build());

        RegistryException e = assertThrows(RegistryException.class,
                () -> clients.client(repository, RegistryAccess.anonymous()).tags());

        assertTrue(e.getMessage().contains("larger than the 16777216 bytes"), e.getMessage());
    }
}
