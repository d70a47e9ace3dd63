package dev.ferry.cli;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.credentials.CredentialsException;
import dev.ferry.digest.InvalidDigestException;
import dev.ferry.digest.VerificationException;
import dev.ferry.layout.LayoutException;
import dev.ferry.location.LocationFormatException;
import dev.ferry.manifest.ManifestException;
import dev.ferry.manifest.NoMatchingPlatformException;
import dev.ferry.reference.ReferenceFormatException;
import dev.ferry.registry.RegistryException;
import dev.ferry.registry.RegistryUnreachableException;
import dev.ferry.tls.CertDirectoryException;
import dev.ferry.tls.TlsFailure;
import dev.ferry.transfer.DestinationDigestException;
import dev.ferry.transfer.LayoutImageNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

/**
 * The one place that turns a failure into an exit code and one line on standard error. Stack
 * traces only with {@code --debug}.
 */
final class Failures {

    /** The longest error line, in characters: enough for any message of ferry's and its subject. */
    static final int MAX_LINE = 4096;

    private Failures() {
    }

    record Outcome(int code, String message) {
    }

    /**
     * @param credentialsOption the option that holds the credentials a refusal is about: {@code --creds},
     *     or for copy the side's own
     * @param describe names in the message what the user named (an archive for its work directory)
     */
    static int report(Exception e, boolean debug, PrintStream err, String credentialsOption,
            UnaryOperator<String> describe) {
        Outcome outcome = classify(e, credentialsOption);
        // Messages may quote the registry: its line breaks and escape sequences must not reach the terminal.
        err.println("ferry: " + TerminalText.line(describe.apply(outcome.message()).strip(), MAX_LINE));
        if (debug) {
            // The messages in the trace quote the registry too.
            e.printStackTrace(TerminalText.lines(err));
        }
        return outcome.code();
    }

    static Outcome classify(Throwable e, String credentialsOption) {
        return switch (e) {
            case UsageException u -> new Outcome(ExitCodes.USAGE, u.getMessage());
            case ReferenceFormatException r -> new Outcome(ExitCodes.USAGE, r.getMessage());
            case LocationFormatException l -> new Outcome(ExitCodes.USAGE, l.getMessage());
            case InvalidDigestException d -> new Outcome(ExitCodes.INVALID_RESPONSE, d.getMessage());
            case VerificationException v -> new Outcome(ExitCodes.VERIFICATION,
                    v.getMessage() + " (the source's content is corrupt or substituted; nothing was kept)");
            case dev.ferry.unpack.UnpackException u -> new Outcome(ExitCodes.VERIFICATION, u.getMessage()
                    + " (nothing was unpacked)");
            case NoMatchingPlatformException p -> new Outcome(ExitCodes.NOT_FOUND, p.getMessage());
            case ManifestException m -> new Outcome(ExitCodes.INVALID_RESPONSE, m.getMessage());
            case LayoutImageNotFoundException n -> new Outcome(ExitCodes.NOT_FOUND, n.getMessage());
            case DestinationDigestException d -> new Outcome(ExitCodes.USAGE, d.getMessage());
            case OutputFileException o -> new Outcome(ExitCodes.FAILURE, o.getMessage());
            // The layout directory is local: its failures are not the network's.
            case LayoutException l -> new Outcome(ExitCodes.FAILURE, l.getMessage());
            case FileSystemException f -> new Outcome(ExitCodes.FAILURE, "cannot use the layout directory: "
                    + f.getClass().getSimpleName() + ": " + f.getMessage());
            case AuthenticationException a -> new Outcome(
                    a.refused() ? ExitCodes.UNAUTHORIZED : a.status() >= 500 ? ExitCodes.FAILURE : ExitCodes.INVALID_RESPONSE,
                    a.getMessage() + (a.refused() ? " (check " + credentialsOption + ")" : ""));
            // Local configuration: an auth file, a credential helper, a certificate directory.
            case CredentialsException c -> new Outcome(ExitCodes.FAILURE, c.getMessage());
            case CertDirectoryException c -> new Outcome(ExitCodes.FAILURE, c.getMessage());
            case RegistryException r -> registry(r, credentialsOption);
            case RegistryUnreachableException u when actionable(TlsFailure.of(u.getCause())) ->
                    network(tls(u.registry(), TlsFailure.of(u.getCause())));
            case RegistryUnreachableException u -> network(u.getMessage() + hint(u.getCause()));
            case UnknownHostException u -> network("unknown host " + u.getMessage() + " (check the registry name)");
            case ConnectException c -> network("cannot connect: " + c.getMessage() + " (is the registry running?)");
            case NoRouteToHostException n -> network("no route to host: " + n.getMessage());
            case SocketTimeoutException t -> network("timed out: " + t.getMessage());
            case SSLException s when actionable(TlsFailure.of(s)) -> network(tls("the token service", TlsFailure.of(s)));
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

    private static boolean actionable(TlsFailure failure) {
        return failure != null && failure != TlsFailure.OTHER;
    }

    /** One line per TLS failure a user can fix, naming what to change. */
    private static String tls(String who, TlsFailure failure) {
        String certsD = "/etc/containers/certs.d/" + (who.contains(" ") ? "HOST:PORT" : who) + "/";
        return switch (failure) {
            case UNKNOWN_AUTHORITY -> who + ": the certificate is signed by an unknown authority (give the CA "
                    + "certificate as a .crt file in --cert-dir DIR or in " + certsD + ", or skip verification with --tls-verify=false)";
            case EXPIRED -> who + ": the certificate has expired or is not valid yet (check the clocks, or renew it; "
                    + "--tls-verify=false skips verification)";
            case WRONG_HOST -> who + ": the certificate does not name this host (reach the registry by a name the "
                    + "certificate holds, or use --tls-verify=false)";
            case CLIENT_CERTIFICATE_REFUSED -> who + ": the registry wants a client certificate and refused the handshake "
                    + "(put NAME.cert and NAME.key in --cert-dir DIR or in " + certsD + ")";
            case OTHER -> who + ": TLS failed";
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
