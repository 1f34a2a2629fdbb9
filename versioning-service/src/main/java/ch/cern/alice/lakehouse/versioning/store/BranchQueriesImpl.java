package ch.cern.alice.lakehouse.versioning.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JPQL for {@link BranchQueries}; the filters mean what the earlier SQL meant (strpos, starts_with, equality). */
class BranchQueriesImpl implements BranchQueries {

    @PersistenceContext
    private EntityManager em;

    @Override
    public Optional<BranchEntity> lock(String name) {
        BranchEntity branch = em.find(BranchEntity.class, name);
        if (branch == null) {
            return Optional.empty();
        }
        // a copy loaded earlier in this transaction may be stale: refresh reads the row again under the lock
        em.refresh(branch, LockModeType.PESSIMISTIC_WRITE);
        return Optional.of(branch);
    }

    @Override
    public List<BranchEntity> search(String query, String prefix, String owner, boolean byUpdate, int offset,
                                     int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        TypedQuery<BranchEntity> select = em.createQuery("select b from BranchEntity b"
                + where(query, prefix, owner, params)
                + (byUpdate ? " order by b.updatedAt desc, b.name" : " order by b.name"), BranchEntity.class);
        params.forEach(select::setParameter);
        return select.setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    @Override
    public long count(String query, String prefix, String owner) {
        Map<String, Object> params = new LinkedHashMap<>();
        TypedQuery<Long> count = em.createQuery("select count(b) from BranchEntity b"
                + where(query, prefix, owner, params), Long.class);
        params.forEach(count::setParameter);
        return count.getSingleResult();
    }

    private static String where(String query, String prefix, String owner, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        if (query != null) {
            // a plain substring: '%' and '_' in the query are not wildcards
            conditions.add("locate(lower(:query), lower(b.name)) > 0");
            params.put("query", query);
        }
        if (prefix != null) {
            conditions.add("left(b.name, length(:prefix)) = :prefix");
            params.put("prefix", prefix);
        }
        if (owner != null) {
            conditions.add("b.createdBy = :owner");
            params.put("owner", owner);
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }
}
