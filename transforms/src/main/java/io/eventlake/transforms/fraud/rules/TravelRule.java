package io.eventlake.transforms.fraud.rules;

import java.util.List;
import java.util.Objects;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * Impossible travel: fires when the key (a card) would have had to move faster than {@code maxSpeedKmh} between its
 * previous trusted position and this event, over at least {@code minDistanceKm} (closer points are within location
 * noise). The level is speed / maxSpeed. Without coordinates, a change of country within {@code countryWindowMs}
 * fires instead. An event that fires is not trusted as the card's position (the card did not go there; a copy of it
 * did), so the holder's next charge at home is not flagged too. A late event is compared with the latest kept
 * position at or before its time. State per key: the last {@value #POINTS} trusted positions.
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

    /** The last trusted positions of a key, oldest first. */
    static final class Track {
        final long[] times = new long[POINTS];
        final double[] lats = new double[POINTS];
        final double[] lons = new double[POINTS];
        final Object[] countries = new Object[POINTS];
        int size;

        int latestAtOrBefore(long timeMs) {
            for (int i = size - 1; i >= 0; i--) {
                if (times[i] <= timeMs) {
                    return i;
                }
            }
            return -1;
        }

        void add(long timeMs, double lat, double lon, Object country) {
            int i = latestAtOrBefore(timeMs) + 1;
            if (size == POINTS) {
                if (i == 0) {
                    return;
                }
                shiftLeft(i);
                i--;
            } else {
                System.arraycopy(times, i, times, i + 1, size - i);
                System.arraycopy(lats, i, lats, i + 1, size - i);
                System.arraycopy(lons, i, lons, i + 1, size - i);
                System.arraycopy(countries, i, countries, i + 1, size - i);
                size++;
            }
            times[i] = timeMs;
            lats[i] = lat;
            lons[i] = lon;
            countries[i] = country;
        }

        private void shiftLeft(int upTo) {
            System.arraycopy(times, 1, times, 0, upTo - 1);
            System.arraycopy(lats, 1, lats, 0, upTo - 1);
            System.arraycopy(lons, 1, lons, 0, upTo - 1);
            System.arraycopy(countries, 1, countries, 0, upTo - 1);
        }
    }

    public TravelRule(Role key, double maxSpeedKmh, double minDistanceKm, long countryWindowMs, StateLimits limits,
                      double weight) {
        super(NAME, weight);
        this.key = key;
        this.maxSpeedKmh = maxSpeedKmh;
        this.minDistanceKm = minDistanceKm;
        this.countryWindowMs = countryWindowMs;
        this.tracks = limits.store(0, Track::new);
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
        Track track = tracks.get(k, e.timeMs());
        int prev = track.latestAtOrBefore(e.timeMs());
        double level = 0;
        if (prev >= 0) {
            long interval = Math.max(MIN_INTERVAL_MS, e.timeMs() - track.times[prev]);
            if (located && !Double.isNaN(track.lats[prev])) {
                double km = distanceKm(track.lats[prev], track.lons[prev], e.latitude(), e.longitude());
                if (km >= minDistanceKm) {
                    level = km / (interval / 3_600_000.0) / maxSpeedKmh;
                }
            } else if (e.country() != null && track.countries[prev] != null
                && !Objects.equals(e.country(), track.countries[prev]) && interval <= countryWindowMs) {
                level = 1;
            }
        }
        if (level < 1) {
            track.add(e.timeMs(), located ? e.latitude() : Double.NaN, located ? e.longitude() : Double.NaN,
                e.country());
        }
        return level;
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
