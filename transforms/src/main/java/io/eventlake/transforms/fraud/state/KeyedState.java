package io.eventlake.transforms.fraud.state;

/**
 * What every rule's per-key state extends: the latest event time the rule used it at, kept in the state itself so
 * that checking its TTL touches nothing the rule does not read anyway. Only {@link KeyedStore} reads and writes it.
 */
public abstract class KeyedState {

    long seenMs;
}
