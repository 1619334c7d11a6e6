package io.eventlake.connect.source.generator.scenario;

/** Cities the scenarios place users, merchants and sites in, and great-circle distances between points. */
public final class Geo {

    /**
     * A city with its country (ISO 3166 alpha-2), currency (ISO 4217), coordinates and the currency's units per US
     * dollar (rounded; only to give amounts in each currency a realistic scale).
     */
    public record City(String name, String country, String currency, double lat, double lon, double perUsd) {
    }

    static final City[] CITIES = {
        new City("New York", "US", "USD", 40.7128, -74.0060, 1),
        new City("Chicago", "US", "USD", 41.8781, -87.6298, 1),
        new City("Los Angeles", "US", "USD", 34.0522, -118.2437, 1),
        new City("Houston", "US", "USD", 29.7604, -95.3698, 1),
        new City("Seattle", "US", "USD", 47.6062, -122.3321, 1),
        new City("Miami", "US", "USD", 25.7617, -80.1918, 1),
        new City("Toronto", "CA", "CAD", 43.6532, -79.3832, 1.35),
        new City("Vancouver", "CA", "CAD", 49.2827, -123.1207, 1.35),
        new City("Mexico City", "MX", "MXN", 19.4326, -99.1332, 18),
        new City("Sao Paulo", "BR", "BRL", -23.5505, -46.6333, 5),
        new City("Buenos Aires", "AR", "ARS", -34.6037, -58.3816, 900),
        new City("London", "GB", "GBP", 51.5074, -0.1278, 0.8),
        new City("Manchester", "GB", "GBP", 53.4808, -2.2426, 0.8),
        new City("Paris", "FR", "EUR", 48.8566, 2.3522, 0.92),
        new City("Lyon", "FR", "EUR", 45.7640, 4.8357, 0.92),
        new City("Berlin", "DE", "EUR", 52.5200, 13.4050, 0.92),
        new City("Munich", "DE", "EUR", 48.1351, 11.5820, 0.92),
        new City("Madrid", "ES", "EUR", 40.4168, -3.7038, 0.92),
        new City("Barcelona", "ES", "EUR", 41.3874, 2.1686, 0.92),
        new City("Rome", "IT", "EUR", 41.9028, 12.4964, 0.92),
        new City("Milan", "IT", "EUR", 45.4642, 9.1900, 0.92),
        new City("Amsterdam", "NL", "EUR", 52.3676, 4.9041, 0.92),
        new City("Stockholm", "SE", "SEK", 59.3293, 18.0686, 10.5),
        new City("Warsaw", "PL", "PLN", 52.2297, 21.0122, 4),
        new City("Zurich", "CH", "CHF", 47.3769, 8.5417, 0.88),
        new City("Istanbul", "TR", "TRY", 41.0082, 28.9784, 32),
        new City("Dubai", "AE", "AED", 25.2048, 55.2708, 3.67),
        new City("Mumbai", "IN", "INR", 19.0760, 72.8777, 83),
        new City("Bangalore", "IN", "INR", 12.9716, 77.5946, 83),
        new City("Singapore", "SG", "SGD", 1.3521, 103.8198, 1.35),
        new City("Hong Kong", "HK", "HKD", 22.3193, 114.1694, 7.8),
        new City("Tokyo", "JP", "JPY", 35.6762, 139.6503, 150),
        new City("Seoul", "KR", "KRW", 37.5665, 126.9780, 1350),
        new City("Sydney", "AU", "AUD", -33.8688, 151.2093, 1.5),
        new City("Melbourne", "AU", "AUD", -37.8136, 144.9631, 1.5),
        new City("Johannesburg", "ZA", "ZAR", -26.2041, 28.0473, 18),
        new City("Lagos", "NG", "NGN", 6.5244, 3.3792, 1500),
        new City("Cairo", "EG", "EGP", 30.0444, 31.2357, 48),
    };

    private static final double EARTH_RADIUS_KM = 6371.0088;

    private Geo() {
    }

    public static int cityCount() {
        return CITIES.length;
    }

    public static City city(int index) {
        return CITIES[index];
    }

    static int indexOf(City city) {
        for (int i = 0; i < CITIES.length; i++) {
            if (CITIES[i] == city) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a known city: " + city);
    }

    /** Great-circle distance in km (haversine). */
    public static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
