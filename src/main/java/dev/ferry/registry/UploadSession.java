package dev.ferry.registry;

import okhttp3.HttpUrl;

/**
 * A blob upload the registry opened: where to send the next part. Each answer may move it (the
 * distribution registry keeps upload state in the query string), so the latest location counts.
 */
public record UploadSession(HttpUrl location) {

    @Override
    public String toString() {
        return location.encodedPath(); // the query may hold state worth keeping out of messages
    }
}
