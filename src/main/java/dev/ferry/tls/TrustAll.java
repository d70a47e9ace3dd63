package dev.ferry.tls;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/** Accepts any server certificate: only for registries the user marked {@code --tls-verify=false}. */
public final class TrustAll implements X509TrustManager {

    public static final TrustAll INSTANCE = new TrustAll();

    private TrustAll() {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
