package com.astra.webhooks.store;

/**
 * Keys the service makes and keeps for itself, shared by every container of the stack. Made on
 * first use; the first writer wins, so all containers sign with the same key.
 */
public interface ServiceKeys {

    /**
     * The source secret of portal link tokens where the deployment has no {@code JWT_SECRET}
     * (JWKS-only): at least 256 random bits, as text. Deleting it revokes every link at once.
     */
    String portalLinkKey();
}
