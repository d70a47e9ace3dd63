package dev.ferry.registry;

import okhttp3.HttpUrl;

/**
 * A blob upload the registry opened: where to send the next part. Each answer may move it (the
 * distribution registry keeps upload state in the query string), so the latest location counts,
 * also for abandoning the session: the registry refuses a request that brings back an old state.
 */
public final class UploadSession {

    private volatile HttpUrl location;

    UploadSession(HttpUrl location) {
        this.location = location;
    }

    public HttpUrl location() {
        return location;
    }

    void moveTo(HttpUrl next) {
        location = next;
    }

    @Override
    public String toString() {
        return location.encodedPath(); // the query may hold state worth keeping out of messages
    }
}
