package io.eventlake.transforms.fraud;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The list of fired rule names for each combination of fired rules, made once and shared, so emitting reasons
 * allocates nothing per record.
 */
final class ReasonLists {

    private final List<String> names;
    private final ConcurrentMap<Integer, List<String>> lists = new ConcurrentHashMap<>();
    private final List<String>[] small;

    @SuppressWarnings("unchecked")
    ReasonLists(List<String> names) {
        if (names.size() > 30) {
            throw new IllegalArgumentException("at most 30 rules");
        }
        this.names = List.copyOf(names);
        this.small = names.size() <= 10 ? new List[1 << names.size()] : null;
    }

    List<String> of(int mask) {
        if (small != null) {
            List<String> l = small[mask];
            if (l == null) {
                l = make(mask);
                small[mask] = l;
            }
            return l;
        }
        return lists.computeIfAbsent(mask, this::make);
    }

    private List<String> make(int mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                out.add(names.get(i));
            }
        }
        return List.copyOf(out);
    }
}
