package io.eventlake.transforms.fraud.rules;

import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.KeyedState;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.RecentValues;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * Impossible travel: fires when the key (a card) would have had to move faster than {@code maxSpeedKmh} between its
 * previous trusted position and this event, over at least {@code minDistanceKm} (closer points are within location
 * noise). The level is speed / maxSpeed. Without coordinates, a change of country within {@code countryWindowMs}
 * fires instead. An event that fires is not trusted as the card's position (the card did not go there; a copy of it
 * did), so the holder's next charge at home is not flagged too. A late event is compared with the latest kept
 * position at or before its time. State per key: the last {@value #POINTS} trusted positions (136 bytes).
 */
public final class TravelRule extends Rule {

    public static final String NAME = "impossible_travel";
    static final int POINTS = 4;
    private static final double EARTH_RADIUS_KM = 6371.0088;
    /** Clock skew between terminals: two charges closer in time than this count as this far apart. */
    private static final long MIN_INTERVAL_MS = 60_000;

    private final Role key;
    private final double maxSpeedKmh;
    private final double minDistanceKm;
    private final long countryWindowMs;
    private final KeyedStore<Track> tracks;

    /**
     * The last trusted positions of a key, oldest first, side by side in one array: per point its time, latitude and
     * longitude (as raw bits; NaN when it had none) and a hash of its country ({@link #NO_COUNTRY} when it had none).
     */
    static final class Track extends KeyedState {
        static final int STRIDE = 4;
        final long[] points = new long[POINTS * STRIDE];
        int size;

        long time(int i) {
            return points[i * STRIDE];
        }

        double lat(int i) {
            return Double.longBitsToDouble(points[i * STRIDE + 1]);
        }

        double lon(int i) {
            return Double.longBitsToDouble(points[i * STRIDE + 2]);
        }

        long country(int i) {
            return points[i * STRIDE + 3];
        }

        int latestAtOrBefore(long timeMs) {
            for (int i = size - 1; i >= 0; i--) {
                if (time(i) <= timeMs) {
                    return i;
                }
            }
            return -1;
        }

        void add(long timeMs, double lat, double lon, long country) {
            int i = latestAtOrBefore(timeMs) + 1;
            if (size == POINTS) {
                if (i == 0) {
                    return;
                }
                System.arraycopy(points, STRIDE, points, 0, (i - 1) * STRIDE);
                i--;
            } else {
                System.arraycopy(points, i * STRIDE, points, (i + 1) * STRIDE, (size - i) * STRIDE);
                size++;
            }
            int at = i * STRIDE;
            points[at] = timeMs;
            points[at + 1] = Double.doubleToRawLongBits(lat);
            points[at + 2] = Double.doubleToRawLongBits(lon);
            points[at + 3] = country;
        }
    }

    /** The country hash of a point without one. */
    static final long NO_COUNTRY = Long.MIN_VALUE;

    public TravelRule(Role key, double maxSpeedKmh, double minDistanceKm, long countryWindowMs, StateLimits limits,
                      double weight) {
        super(NAME, weight);
        this.key = key;
        this.maxSpeedKmh = maxSpeedKmh;
        this.minDistanceKm = minDistanceKm;
        this.countryWindowMs = countryWindowMs;
        this.tracks = limits.store(key, 0, Track::new);
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.of(key), Input.LATITUDE, Input.LONGITUDE);
    }

    @Override
    public double apply(FraudEvent e) {
        Object k = e.get(key);
        boolean located = e.hasLocation();
        if (k == null || !e.hasTime() || (!located && e.country() == null)) {
            return Double.NaN;
        }
        Track track = tracks.get(e.hash(key), e.check(key), e.timeMs());
        int prev = track.latestAtOrBefore(e.timeMs());
        long country = e.country() == null ? NO_COUNTRY : RecentValues.hash(e.country());
        double level = 0;
        if (prev >= 0) {
            long interval = Math.max(MIN_INTERVAL_MS, e.timeMs() - track.time(prev));
            double lat = track.lat(prev);
            double lon = track.lon(prev);
            if (located && !Double.isNaN(lat)) {
                if (upperBoundKm(lat, lon, e.latitude(), e.longitude()) >= minDistanceKm) {
                    double km = distanceKm(lat, lon, e.latitude(), e.longitude());
                    if (km >= minDistanceKm) {
                        level = km / (interval / 3_600_000.0) / maxSpeedKmh;
                    }
                }
            } else if (country != NO_COUNTRY && track.country(prev) != NO_COUNTRY
                && country != track.country(prev) && interval <= countryWindowMs) {
                level = 1;
            }
        }
        if (level < 1) {
            track.add(e.timeMs(), located ? e.latitude() : Double.NaN, located ? e.longitude() : Double.NaN, country);
        }
        return level;
    }

    /**
     * A bound the great-circle distance never exceeds, without trigonometry: the angle between two points is at most
     * the sum of their latitude and longitude differences (the longitude difference taken the short way round).
     * Charges close together, most of them, need no haversine.
     */
    static double upperBoundKm(double lat1, double lon1, double lat2, double lon2) {
        double dLon = Math.abs(lon2 - lon1);
        if (dLon > 180) {
            dLon = 360 - dLon;
        }
        return EARTH_RADIUS_KM * Math.toRadians(Math.abs(lat2 - lat1) + dLon);
    }

    /** Great-circle distance (haversine). */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
            * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    @Override
    public void clear() {
        tracks.clear();
    }

    @Override
    public int keys() {
        return tracks.size();
    }
}
