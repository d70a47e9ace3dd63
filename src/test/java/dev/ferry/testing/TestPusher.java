package dev.ferry.testing;

import dev.ferry.digest.Digest;
import java.io.IOException;
import java.nio.file.Path;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Pushes test images to a registry through the plain distribution API (POST, then a monolithic
 * PUT), independently of ferry's own code so that fixtures do not depend on what they test.
 */
public final class TestPusher {

    private static final OkHttpClient PLAIN = new OkHttpClient();

    private final HttpUrl base;
    private final String authorization;
    private final OkHttpClient http;

    /**
     * @param authorization an Authorization header value, or null
     * @param trustAnyCertificate for a test registry with a self-signed certificate
     */
    public TestPusher(HttpUrl base, String authorization, boolean trustAnyCertificate) {
        this.base = base;
        this.authorization = authorization;
        this.http = trustAnyCertificate ? dev.ferry.http.HttpClients.insecure(PLAIN) : PLAIN;
    }

    /** With a client of the test's own making: a client certificate, a test CA. */
    public TestPusher(HttpUrl base, String authorization, OkHttpClient http) {
        this.base = base;
        this.authorization = authorization;
        this.http = http;
    }

    public TestPusher(HttpUrl base, String authorization) {
        this(base, authorization, false);
    }

    public TestPusher(String hostPort) {
        this(HttpUrl.get("http://" + hostPort + "/"), null);
    }

    public void push(String repository, String tag, TestImage image) throws IOException {
        pushBlob(repository, image.config());
        for (Blob layer : image.layers()) {
            pushBlob(repository, layer);
        }
        pushManifest(repository, tag, image.manifest());
    }

    public void pushBlob(String repository, Blob blob) throws IOException {
        Request start = request(base.resolve("/v2/" + repository + "/blobs/uploads/"))
                .post(RequestBody.create(new byte[0])).build();
        String location;
        try (Response r = http.newCall(start).execute()) {
            check(r, "start upload");
            location = r.header("Location");
        }
        HttpUrl upload = base.resolve(location).newBuilder().addQueryParameter("digest", blob.digest().toString()).build();
        Request put = request(upload)
                .put(RequestBody.create(blob.bytes(), MediaType.get("application/octet-stream"))).build();
        try (Response r = http.newCall(put).execute()) {
            check(r, "put blob " + blob.digest());
        }
    }

    /** Pushes a blob stored in a file, streamed in one PUT: for blobs too large to hold in memory. */
    public void pushBlob(String repository, Path file, Digest digest) throws IOException {
        Request start = request(base.resolve("/v2/" + repository + "/blobs/uploads/"))
                .post(RequestBody.create(new byte[0])).build();
        String location;
        try (Response r = http.newCall(start).execute()) {
            check(r, "start upload");
            location = r.header("Location");
        }
        HttpUrl upload = base.resolve(location).newBuilder().addQueryParameter("digest", digest.toString()).build();
        Request put = request(upload)
                .put(RequestBody.create(file.toFile(), MediaType.get("application/octet-stream"))).build();
        try (Response r = http.newCall(put).execute()) {
            check(r, "put blob " + digest);
        }
    }

    public void pushManifest(String repository, String reference, Blob manifest) throws IOException {
        Request put = request(base.resolve("/v2/" + repository + "/manifests/" + reference))
                .put(RequestBody.create(manifest.bytes(), MediaType.get(manifest.mediaType()))).build();
        try (Response r = http.newCall(put).execute()) {
            check(r, "put manifest " + reference);
        }
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static void check(Response r, String what) throws IOException {
        if (!r.isSuccessful()) {
            throw new IOException(what + ": HTTP " + r.code() + " " + r.body().string());
        }
    }
}
