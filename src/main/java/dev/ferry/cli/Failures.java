package dev.ferry.cli;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.digest.InvalidDigestException;
import dev.ferry.digest.VerificationException;
import dev.ferry.layout.LayoutException;
import dev.ferry.transfer.DestinationDigestException;
import dev.ferry.transfer.LayoutImageNotFoundException;
import dev.ferry.manifest.ManifestException;
import dev.ferry.manifest.NoMatchingPlatformException;
import dev.ferry.reference.ReferenceFormatException;
import dev.ferry.registry.RegistryException;
import dev.ferry.registry.RegistryUnreachableException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import javax.net.ssl.SSLException;

/**
 * The one place that turns a failure into an exit code and one line on standard error. Stack
 * traces only with {@code --debug}.
 */
final class Failures {

    private Failures() {
    }

    record Outcome(int code, String message) {
    }

    /**
     * @param credentialsOption the option that holds the credentials a refusal is about: {@code --creds},
     *     or for copy the side's own
     */
    static int report(Exception e, boolean debug, PrintStream err, String credentialsOption) {
        Outcome outcome = classify(e, credentialsOption);
        // Messages may quote the registry: its line breaks and escape sequences must not reach the terminal.
        err.println("ferry: " + outcome.message().replaceAll("\\p{Cc}+", " ").strip());
        if (debug) {
            e.printStackTrace(err);
        }
        return outcome.code();
    }

    static Outcome classify(Throwable e, String credentialsOption) {
        return switch (e) {
            case UsageException u -> new Outcome(ExitCodes.USAGE, u.getMessage());
            case ReferenceFormatException r -> new Outcome(ExitCodes.USAGE, r.getMessage());
            case InvalidDigestException d -> new Outcome(ExitCodes.INVALID_RESPONSE, d.getMessage());
            case VerificationException v -> new Outcome(ExitCodes.VERIFICATION,
                    v.getMessage() + " (the source's content is corrupt or substituted; nothing was kept)");
            case NoMatchingPlatformException p -> new Outcome(ExitCodes.NOT_FOUND, p.getMessage());
            case ManifestException m -> new Outcome(ExitCodes.INVALID_RESPONSE, m.getMessage());
            case LayoutImageNotFoundException n -> new Outcome(ExitCodes.NOT_FOUND, n.getMessage());
            case DestinationDigestException d -> new Outcome(ExitCodes.USAGE, d.getMessage());
            // The layout directory is local: its failures are not the network's.
            case LayoutException l -> new Outcome(ExitCodes.FAILURE, l.getMessage());
            case FileSystemException f -> new Outcome(ExitCodes.FAILURE, "cannot use the layout directory: "
                    + f.getClass().getSimpleName() + ": " + f.getMessage());
            case AuthenticationException a -> new Outcome(
                    a.refused() ? ExitCodes.UNAUTHORIZED : a.status() >= 500 ? ExitCodes.FAILURE : ExitCodes.INVALID_RESPONSE,
                    a.getMessage() + (a.refused() ? " (check " + credentialsOption + ")" : ""));
            case RegistryException r -> registry(r, credentialsOption);
            case RegistryUnreachableException u -> network(u.getMessage() + hint(u.getCause()));
            case UnknownHostException u -> network("unknown host " + u.getMessage() + " (check the registry name)");
            case ConnectException c -> network("cannot connect: " + c.getMessage() + " (is the registry running?)");
            case NoRouteToHostException n -> network("no route to host: " + n.getMessage());
            case SocketTimeoutException t -> network("timed out: " + t.getMessage());
            case SSLException s -> network("TLS failed: " + s.getMessage()
                    + " (for a registry without valid TLS, use --tls-verify=false)");
            case IOException io -> network("network failure: " + io.getClass().getSimpleName() + ": " + io.getMessage());
            default -> new Outcome(ExitCodes.FAILURE, "unexpected error: " + e + " (run with --debug for details)");
        };
    }

    private static String hint(Throwable cause) {
        return switch (cause) {
            case UnknownHostException u -> " (check the registry name)";
            case ConnectException c -> " (is the registry running, and is the port right?)";
            case SSLException s -> " (for a registry without a trusted certificate, use --tls-verify=false)";
            case SocketTimeoutException t -> " (the registry is slow or unreachable; try again)";
            case null, default -> "";
        };
    }

    private static Outcome network(String message) {
        return new Outcome(ExitCodes.NETWORK, message);
    }

    private static Outcome registry(RegistryException r, String credentialsOption) {
        return switch (r.kind()) {
            case NOT_FOUND -> new Outcome(ExitCodes.NOT_FOUND, r.getMessage() + " (check the repository and tag)");
            case UNAUTHORIZED -> new Outcome(ExitCodes.UNAUTHORIZED, r.getMessage()
                    + " (check " + credentialsOption + ", and that the repository exists)");
            case INVALID_RESPONSE -> new Outcome(ExitCodes.INVALID_RESPONSE, r.getMessage());
            case THROTTLED -> new Outcome(ExitCodes.FAILURE, r.getMessage() + " (the registry throttles: try again later)");
            case SERVER, OTHER -> new Outcome(ExitCodes.FAILURE, r.getMessage());
        };
    }
}
