package com.astra.webhooks.aws;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A warm-up run just before Lambda SnapStart snapshots an initialised function, so that the
 * classes, JIT state and SDK code paths of a first request are in the snapshot instead of being
 * paid on every cold start (ColdStartBenchmark: a first call costs 470-670 ms, the second
 * 10-90 ms). Where no snapshot is taken (the local runner, tests, SnapStart off) it never runs,
 * and a failed warm-up never stops the snapshot.
 */
public final class SnapStartPriming implements Resource {

    /** The tenant warm-ups read as: no token can name it, because tenants may not contain '#'. */
    public static final String TENANT = "#snapstart-priming";

    private final Runnable warmUp;

    private SnapStartPriming(Runnable warmUp) {
        this.warmUp = warmUp;
    }

    /** Registers the warm-up; keep the returned object referenced, as CRaC holds resources weakly. */
    public static SnapStartPriming register(Runnable warmUp) {
        SnapStartPriming priming = new SnapStartPriming(warmUp);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            warmUp.run();
        } catch (RuntimeException e) {
            System.err.println("[snapstart] warm-up failed, snapshot taken anyway: " + e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: SDK clients open their connections on first use after the restore.
    }
}
