package io.eventlake.local.stack;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Sums of the plugins' own counters over every connector and task of this JVM's workers, read from Connect's
 * plugin metrics (KIP-877, JMX {@code kafka.connect:type=plugins,...}): what the launcher's progress line shows.
 */
public final class PluginCounters {

    private static final ObjectName PLUGINS;

    static {
        try {
            PLUGINS = new ObjectName("kafka.connect:type=plugins,*");
        } catch (javax.management.MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private PluginCounters() {
    }

    /** Validate's, FraudFlag's counters summed; counters of a task that restarted start again from 0. */
    public record Totals(long validated, long quarantined, long dropped, long judged, long flagged) {
    }

    public static Totals read() {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(PLUGINS, null);
        long validated = 0;
        long quarantined = 0;
        long dropped = 0;
        long judged = 0;
        long flagged = 0;
        for (ObjectName name : names) {
            validated += attribute(mbeans, name, "records-total", "valid-total");
            quarantined += attribute(mbeans, name, "quarantined-total", null);
            dropped += attribute(mbeans, name, "dropped-total", null);
            judged += attribute(mbeans, name, "records-judged-total", null);
            flagged += attribute(mbeans, name, "records-flagged-total", null);
        }
        return new Totals(validated, quarantined, dropped, judged, flagged);
    }

    /** The attribute's value, or 0 when the MBean lacks it (or lacks {@code requiredAlso}, when given). */
    private static long attribute(MBeanServer mbeans, ObjectName name, String attribute, String requiredAlso) {
        try {
            if (requiredAlso != null) {
                mbeans.getAttribute(name, requiredAlso);
            }
            return mbeans.getAttribute(name, attribute) instanceof Number n ? (long) n.doubleValue() : 0;
        } catch (JMException | RuntimeException e) {
            return 0; // not this plugin's MBean, or a task stopped while reading
        }
    }
}
