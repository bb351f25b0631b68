;; out[j] = b[j] + Σ_i x[i]·wT[j·n + i] for j < m: the dense-layer kernel of
;; models/fast/kernels.ts (weights stored transposed, one contiguous row per
;; output) with f32x4 SIMD, two accumulators of 4 lanes each over 8 inputs per
;; iteration, then a scalar tail for n not a multiple of 8.
;; Every argument is a byte offset into the imported memory; b = 0 means no bias.
;; Compiled by scripts/build-wasm.mjs into matvec-wasm.ts (commit both).
(module
  (import "env" "memory" (memory 1))
  (func (export "matvec") (param $x i32) (param $w i32) (param $b i32) (param $out i32) (param $n i32) (param $m i32)
    (local $j i32) (local $i i32) (local $row i32) (local $n8 i32) (local $a0 v128) (local $a1 v128) (local $s f32) (local $xi i32) (local $wi i32)
    (local.set $n8 (i32.and (local.get $n) (i32.const -8)))
    (local.set $row (local.get $w))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $i) (local.get $n8)))
            (local.set $xi (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $wi (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $xi)) (v128.load (local.get $wi)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $xi)) (v128.load offset=16 (local.get $wi)))))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $vec)))
        (local.set $a0 (f32x4.add (local.get $a0) (local.get $a1)))
        (local.set $s (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
          (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $s (f32.add (local.get $s) (f32.mul
              (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))
              (f32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tail)))
        (if (local.get $b)
          (then (local.set $s (f32.add (local.get $s) (f32.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows)))))
