package io.un0.auth;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The caller a client certificate names, once TLS has verified it against the trusted CA: subject CN, tenant O,
 * roles OU (one OU per role).
 */
public final class CertificateIdentity {

    private CertificateIdentity() {
    }

    public static Caller of(Certificate[] chain) throws CredentialException {
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new CredentialException("the client certificate is not an X.509 certificate");
        }
        String subject = leaf.getSubjectX500Principal().getName();
        List<Rdn> rdns;
        try {
            rdns = new LdapName(subject).getRdns();
        } catch (InvalidNameException e) {
            throw new CredentialException("the client certificate's subject is unreadable: " + subject, e);
        }
        String cn = first(rdns, "CN");
        String tenant = first(rdns, "O");
        if (cn == null || tenant == null) {
            throw new CredentialException("the client certificate " + subject + " needs a CN (the caller) and an O (the tenant)");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String ou : all(rdns, "OU")) {
            Role.fromCredential(ou).ifPresent(roles::add);
        }
        return new Caller(cn, tenant, roles, Caller.Mechanism.CLIENT_CERTIFICATE);
    }

    private static String first(List<Rdn> rdns, String type) {
        List<String> values = all(rdns, type);
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> all(List<Rdn> rdns, String type) {
        List<String> values = new ArrayList<>();
        for (Rdn rdn : rdns) {
            if (rdn.getType().equalsIgnoreCase(type)) {
                values.add(rdn.getValue().toString());
            }
        }
        return values;
    }
}
