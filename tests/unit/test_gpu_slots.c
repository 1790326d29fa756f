/* GPU assignment: the least-loaded configured GPU, earliest on ties, and
 * ids read as positions in an inherited CUDA_VISIBLE_DEVICES. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "igmopt/igmopt.h"
#include "lib/gpu_slots.h"

static void without_gpu_ids_nothing_is_assigned(void **state)
{
    igm_gpu_slots g;
    assert_int_equal(igm_gpu_slots_init(&g, NULL, 0, "0,1"), IGMOPT_OK);
    assert_int_equal(igm_gpu_slots_acquire(&g), -1);
    igm_gpu_slots_clear(&g);
}

static void trials_go_to_the_least_loaded_gpu(void **state)
{
    const int64_t ids[] = {0, 1};
    igm_gpu_slots g;
    assert_int_equal(igm_gpu_slots_init(&g, ids, 2, NULL), IGMOPT_OK);
    assert_string_equal(g.devices[1], "1");
    assert_int_equal(igm_gpu_slots_acquire(&g), 0);
    assert_int_equal(igm_gpu_slots_acquire(&g), 1);
    assert_int_equal(igm_gpu_slots_acquire(&g), 0);
    igm_gpu_slots_release(&g, 1); /* GPU 1 now runs nothing */
    assert_int_equal(igm_gpu_slots_acquire(&g), 1);
    assert_int_equal(igm_gpu_slots_acquire(&g), 1);
    assert_int_equal(igm_gpu_slots_acquire(&g), 0);
    igm_gpu_slots_clear(&g);
}

static void ids_index_the_inherited_list(void **state)
{
    const int64_t ids[] = {1, 0};
    igm_gpu_slots g;
    assert_int_equal(igm_gpu_slots_init(&g, ids, 2, "5, GPU-a1b2"), IGMOPT_OK);
    assert_string_equal(g.devices[0], "GPU-a1b2");
    assert_string_equal(g.devices[1], "5");
    igm_gpu_slots_clear(&g);
}

static void ids_outside_the_inherited_list_are_refused(void **state)
{
    const int64_t ids[] = {0, 2};
    const int64_t negative[] = {-1};
    igm_gpu_slots g;
    assert_int_equal(igm_gpu_slots_init(&g, ids, 2, "5,7"), IGMOPT_ECONFIG);
    assert_int_equal(igm_gpu_slots_init(&g, ids, 1, ""), IGMOPT_ECONFIG);
    assert_int_equal(igm_gpu_slots_init(&g, negative, 1, NULL), IGMOPT_ECONFIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_gpu_ids_nothing_is_assigned),
        cmocka_unit_test(trials_go_to_the_least_loaded_gpu),
        cmocka_unit_test(ids_index_the_inherited_list),
        cmocka_unit_test(ids_outside_the_inherited_list_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
