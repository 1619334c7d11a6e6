package io.eventlake.it.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where {@link Fault.Stall} holds requests until the test releases them. The release decides, request by request,
 * what happens to the held ones (null: pass it on); requests that match after the release pass on at once.
 */
public final class Gate {

    private final List<Request> held = new ArrayList<>();
    private Function<Request, Fault> verdict;

    /** Blocks the proxy's connection thread until released; returns the fault to apply, or null to pass it on. */
    synchronized Fault await(Request request) throws InterruptedException {
        if (verdict != null) {
            return null;
        }
        held.add(request);
        notifyAll();
        while (verdict == null) {
            wait();
        }
        return verdict.apply(request);
    }

    /** Requests held so far (also those already released). */
    public synchronized List<Request> held() {
        return List.copyOf(held);
    }

    /** Waits until at least {@code count} requests are held; false on timeout. */
    public synchronized boolean awaitHeld(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (held.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Lets every held request go on, each as {@code verdict} says (null: passed on unchanged). */
    public synchronized void release(Function<Request, Fault> verdict) {
        this.verdict = verdict;
        notifyAll();
    }

    public void releaseAll() {
        release(r -> null);
    }

    public synchronized boolean released() {
        return verdict != null;
    }
}
