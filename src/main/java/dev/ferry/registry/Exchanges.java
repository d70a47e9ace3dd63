package dev.ferry.registry;

import dev.ferry.http.Deadline;
import dev.ferry.http.HttpClients;
import dev.ferry.http.Retrier;
import dev.ferry.http.TlsOnDemand;
import java.io.IOException;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends built requests to one registry: retried when safe to repeat, or once; each call armed with
 * its deadline and handed to {@code onCall} before it runs, so that another thread can cancel it.
 */
final class Exchanges {

    private final String registry;
    private final OkHttpClient http;
    private final Retrier retrier;
    // Shared by every request to this registry: after a 429, nobody sends until the wait is over.
    private final Retrier.Backoff backoff;

    Exchanges(String registry, OkHttpClient http, Retrier retrier, Retrier.Backoff backoff) {
        this.registry = registry;
        this.http = http;
        this.retrier = retrier;
        this.backoff = backoff;
    }

    /** Retries as the policy allows; a failure names the registry, the request and the deadline it ran out of. */
    Response retried(Request request, Deadline deadline, Consumer<Call> onCall) throws IOException {
        try {
            return retrier.execute(() -> {
                Call call = newCall(request, deadline);
                onCall.accept(call);
                return call;
            }, backoff);
        } catch (IOException e) {
            throw new RegistryUnreachableException(registry, request.method() + " " + request.url().encodedPath(),
                    explain(e, deadline));
        }
    }

    /** Sends once; failures come as the call threw them, for the caller to tell the source's apart. */
    Response once(Request request, Deadline deadline, Consumer<Call> onCall) throws IOException {
        Call call = newCall(request, deadline);
        onCall.accept(call);
        return call.execute();
    }

    private Call newCall(Request request, Deadline deadline) {
        boolean blobBody = request.tag(HttpClients.Streaming.class) != null
                || request.tag(HttpClients.Uploading.class) != null;
        OkHttpClient client = blobBody ? HttpClients.forBlobs(http) : http;
        return deadline.arm(TlsOnDemand.forUrl(client, request.url()).newCall(request));
    }

    /** OkHttp reports a call that ran out of its deadline as a bare "timeout": say which deadline. */
    static IOException explain(IOException failure, Deadline deadline) {
        return Deadline.isExceeded(failure) ? deadline.exceeded() : failure;
    }
}
