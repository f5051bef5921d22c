;; Miller-Rabin witnesses for strict key checks: the source of src/core/miller-rabin-wasm-bytes.ts
;; (assembled by scripts/build-wasm.mjs). Numbers are little-endian arrays of 28-bit limbs, one
;; per 32-bit word, so that a column of up to 255 products of two limbs sums in an i64 without
;; carry handling.
(module
  (memory (export "memory") 1)

  ;; Slots of 512 bytes (up to 120 limbs and 4 zero limbs above), each starting 16 bytes in, so
  ;; the word before every slot is zero (limb -1, read by the two-row loops): modulus, R^2, R and
  ;; m-R (all mod m), exponent, base, x, base^2, the doubled copy of $montsqr, then the 16 odd
  ;; powers of the base; then the column sums (i64).
  (global $MM i32 (i32.const 16))
  (global $MR2 i32 (i32.const 528))
  (global $MONE i32 (i32.const 1040))
  (global $MNEG i32 (i32.const 1552))
  (global $MEXP i32 (i32.const 2064))
  (global $MBASE i32 (i32.const 2576))
  (global $MX i32 (i32.const 3088))
  (global $MSQ i32 (i32.const 3600))
  (global $MDBL i32 (i32.const 4112))
  (global $MT i32 (i32.const 4624))
  (global $MACC i32 (i32.const 13312))
  (global $L (mut i32) (i32.const 0))
  (global $MINV (mut i64) (i64.const 0))

  ;; r = columns L .. 2L-1 with the carry c into column L, carries settled; then the columns are
  ;; cleared for the next product.
  (func $settle (param $r i32) (param $c i64)
    (local $i i32)
    (loop $carry
      (local.set $c (i64.add (local.get $c)
        (i64.load (i32.add (global.get $MACC) (i32.shl (i32.add (local.get $i) (global.get $L)) (i32.const 3))))))
      (i64.store32 (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 2))) (i64.and (local.get $c) (i64.const 0xfffffff)))
      (local.set $c (i64.shr_u (local.get $c) (i64.const 28)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $carry (i32.lt_u (local.get $i) (global.get $L))))
    (memory.fill (global.get $MACC) (i32.const 0) (i32.shl (i32.add (i32.shl (global.get $L) (i32.const 1)) (i32.const 8)) (i32.const 3))))

;; The multiplier making column sum t vanish mod 2^28: (t mod 2^28) (-m^-1) mod 2^28.
  (func $u (param $t i64) (result i64)
    (i64.and (i64.mul (i64.and (local.get $t) (i64.const 0xfffffff)) (global.get $MINV)) (i64.const 0xfffffff)))

;; r = a b / R mod m (Montgomery, R = 2^(28 L)) for a, b < 2m, with 4m < R and L even; r < 2m
  ;; and may alias a or b. Two rows at a time (operand scanning) into i64 column sums: rows i and
  ;; i+1 add a[i] b[j], a[i+1] b[j-1], u m[j] and u' m[j-1] to column i+j, u making column i
  ;; vanish mod 2^28 and u' column i+1, whose carry c then joins the next two rows (held in a
  ;; local, not stored). Each column is loaded and stored once per two rows, over j up to L
  ;; rounded up to 4 (b and m have zero limbs above L, and b[-1] = m[-1] = 0). The column sums
  ;; are the plain row-by-row sums, below 2L 2^56 + 2^36 < 2^64.
  (func $montmul (export "montmul") (param $a i32) (param $b i32) (param $r i32)
    (local $i i32) (local $pb i32) (local $pm i32) (local $pc i32) (local $mend i32)
    (local $a0 i64) (local $a1 i64) (local $u0 i64) (local $u1 i64) (local $t i64) (local $c i64)
    (local $va0 v128) (local $va1 v128) (local $vu0 v128) (local $vu1 v128)
    (local $vb v128) (local $vbs v128) (local $vm v128) (local $vms v128)
    (local.set $mend (i32.add (global.get $MM) (i32.shl (i32.add (global.get $L) (i32.const 1)) (i32.const 2))))
    (loop $row
      (local.set $a0 (i64.load32_u (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $a1 (i64.load32_u offset=4 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $pc (i32.add (global.get $MACC) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $t (i64.add (i64.add (i64.load (local.get $pc)) (local.get $c))
        (i64.mul (local.get $a0) (i64.load32_u (local.get $b)))))
      (local.set $u0 (call $u (local.get $t)))
      (local.set $c (i64.shr_u (i64.add (local.get $t) (i64.mul (local.get $u0) (i64.load32_u (global.get $MM)))) (i64.const 28)))
      (local.set $t (i64.add (i64.add (i64.add (i64.load offset=8 (local.get $pc)) (local.get $c))
        (i64.add (i64.mul (local.get $a0) (i64.load32_u offset=4 (local.get $b))) (i64.mul (local.get $u0) (i64.load32_u offset=4 (global.get $MM)))))
        (i64.mul (local.get $a1) (i64.load32_u (local.get $b)))))
      (local.set $u1 (call $u (local.get $t)))
      (local.set $c (i64.shr_u (i64.add (local.get $t) (i64.mul (local.get $u1) (i64.load32_u (global.get $MM)))) (i64.const 28)))
      (local.set $va0 (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $va1 (v128.load32_splat offset=4 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $vu0 (i32x4.splat (i32.wrap_i64 (local.get $u0))))
      (local.set $vu1 (i32x4.splat (i32.wrap_i64 (local.get $u1))))
      (local.set $pb (local.get $b))
      (local.set $pm (global.get $MM))
      (loop $four
        (local.set $vb (v128.load (local.get $pb)))
        (local.set $vbs (v128.load (i32.sub (local.get $pb) (i32.const 4))))
        (local.set $vm (v128.load (local.get $pm)))
        (local.set $vms (v128.load (i32.sub (local.get $pm) (i32.const 4))))
        (v128.store (local.get $pc) (i64x2.add (v128.load (local.get $pc)) (i64x2.add
          (i64x2.add (i64x2.extmul_low_i32x4_u (local.get $va0) (local.get $vb)) (i64x2.extmul_low_i32x4_u (local.get $va1) (local.get $vbs)))
          (i64x2.add (i64x2.extmul_low_i32x4_u (local.get $vu0) (local.get $vm)) (i64x2.extmul_low_i32x4_u (local.get $vu1) (local.get $vms))))))
        (v128.store offset=16 (local.get $pc) (i64x2.add (v128.load offset=16 (local.get $pc)) (i64x2.add
          (i64x2.add (i64x2.extmul_high_i32x4_u (local.get $va0) (local.get $vb)) (i64x2.extmul_high_i32x4_u (local.get $va1) (local.get $vbs)))
          (i64x2.add (i64x2.extmul_high_i32x4_u (local.get $vu0) (local.get $vm)) (i64x2.extmul_high_i32x4_u (local.get $vu1) (local.get $vms))))))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
        (br_if $four (i32.lt_u (local.get $pm) (local.get $mend))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $row (i32.lt_u (local.get $i) (global.get $L))))
    (call $settle (local.get $r) (local.get $c)))

  ;; r = a a / R mod m, as $montmul (a, a, r) gives it, with a quarter fewer products: a[i] a[j]
  ;; and a[j] a[i] fall in the same column, so row i adds a[i] 2a[j] for j > i only (a doubled
  ;; copy d whose limbs are zeroed as the rows pass them) and a[i]^2 once. Rows i and i+1 go
  ;; together as in $montmul: a[i]^2, a[i] d[i+1] and a[i+1]^2 first, d[i] and d[i+1] zeroed
  ;; (so d[0] = d[1] = 0 stand for b[0], b[1] in the multipliers), then u m[j] and u' m[j-1] alone
  ;; below the block holding j = i+2, and from there on a[i] d[j] and a[i+1] d[j-1] with them.
  ;; The column sums are $montmul's, so the same bounds hold.
  (func $montsqr (export "montsqr") (param $a i32) (param $r i32)
    (local $i i32) (local $pd i32) (local $pm i32) (local $pc i32) (local $mid i32) (local $mend i32)
    (local $a0 i64) (local $a1 i64) (local $u0 i64) (local $u1 i64) (local $t i64) (local $c i64)
    (local $va0 v128) (local $va1 v128) (local $vu0 v128) (local $vu1 v128)
    (local $vb v128) (local $vbs v128) (local $vm v128) (local $vms v128)
    ;; the doubled copy (its limbs above L stay zero)
    (loop $double
      (local.set $pc (i32.shl (local.get $i) (i32.const 2)))
      (i32.store (i32.add (global.get $MDBL) (local.get $pc)) (i32.shl (i32.load (i32.add (local.get $a) (local.get $pc))) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $double (i32.lt_u (local.get $i) (global.get $L))))
    (local.set $mend (i32.add (global.get $MM) (i32.shl (i32.add (global.get $L) (i32.const 1)) (i32.const 2))))
    (local.set $i (i32.const 0))
    (loop $row
      (local.set $pd (i32.add (global.get $MDBL) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $a0 (i64.load32_u (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $a1 (i64.load32_u offset=4 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      ;; a[i]^2 into column 2i, a[i] 2a[i+1] into 2i+1, a[i+1]^2 into 2i+2; a[i], a[i+1] leave d
      (local.set $pc (i32.add (global.get $MACC) (i32.shl (local.get $i) (i32.const 4))))
      (i64.store (local.get $pc) (i64.add (i64.load (local.get $pc)) (i64.mul (local.get $a0) (local.get $a0))))
      (i64.store offset=8 (local.get $pc)
        (i64.add (i64.load offset=8 (local.get $pc)) (i64.mul (local.get $a0) (i64.load32_u offset=4 (local.get $pd)))))
      (i64.store offset=16 (local.get $pc) (i64.add (i64.load offset=16 (local.get $pc)) (i64.mul (local.get $a1) (local.get $a1))))
      (i64.store (local.get $pd) (i64.const 0))
      (local.set $pc (i32.add (global.get $MACC) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $t (i64.add (i64.add (i64.load (local.get $pc)) (local.get $c))
        (i64.mul (local.get $a0) (i64.load32_u (global.get $MDBL)))))
      (local.set $u0 (call $u (local.get $t)))
      (local.set $c (i64.shr_u (i64.add (local.get $t) (i64.mul (local.get $u0) (i64.load32_u (global.get $MM)))) (i64.const 28)))
      (local.set $t (i64.add (i64.add (i64.add (i64.load offset=8 (local.get $pc)) (local.get $c))
        (i64.add (i64.mul (local.get $a0) (i64.load32_u offset=4 (global.get $MDBL))) (i64.mul (local.get $u0) (i64.load32_u offset=4 (global.get $MM)))))
        (i64.mul (local.get $a1) (i64.load32_u (global.get $MDBL)))))
      (local.set $u1 (call $u (local.get $t)))
      (local.set $c (i64.shr_u (i64.add (local.get $t) (i64.mul (local.get $u1) (i64.load32_u (global.get $MM)))) (i64.const 28)))
      (local.set $va0 (v128.load32_splat (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $va1 (v128.load32_splat offset=4 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $vu0 (i32x4.splat (i32.wrap_i64 (local.get $u0))))
      (local.set $vu1 (i32x4.splat (i32.wrap_i64 (local.get $u1))))
      ;; u m[j] and u' m[j-1] alone below the block holding j = i+2
      (local.set $mid (i32.add (global.get $MM) (i32.and (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2)) (i32.const -16))))
      (local.set $pm (global.get $MM))
      (block $low
        (loop $four
          (br_if $low (i32.ge_u (local.get $pm) (local.get $mid)))
          (local.set $vm (v128.load (local.get $pm)))
          (local.set $vms (v128.load (i32.sub (local.get $pm) (i32.const 4))))
          (v128.store (local.get $pc) (i64x2.add (v128.load (local.get $pc))
            (i64x2.add (i64x2.extmul_low_i32x4_u (local.get $vu0) (local.get $vm)) (i64x2.extmul_low_i32x4_u (local.get $vu1) (local.get $vms)))))
          (v128.store offset=16 (local.get $pc) (i64x2.add (v128.load offset=16 (local.get $pc))
            (i64x2.add (i64x2.extmul_high_i32x4_u (local.get $vu0) (local.get $vm)) (i64x2.extmul_high_i32x4_u (local.get $vu1) (local.get $vms)))))
          (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
          (br $four)))
      (local.set $pd (i32.add (global.get $MDBL) (i32.sub (local.get $pm) (global.get $MM))))
      (loop $four
        (local.set $vb (v128.load (local.get $pd)))
        (local.set $vbs (v128.load (i32.sub (local.get $pd) (i32.const 4))))
        (local.set $vm (v128.load (local.get $pm)))
        (local.set $vms (v128.load (i32.sub (local.get $pm) (i32.const 4))))
        (v128.store (local.get $pc) (i64x2.add (v128.load (local.get $pc)) (i64x2.add
          (i64x2.add (i64x2.extmul_low_i32x4_u (local.get $va0) (local.get $vb)) (i64x2.extmul_low_i32x4_u (local.get $va1) (local.get $vbs)))
          (i64x2.add (i64x2.extmul_low_i32x4_u (local.get $vu0) (local.get $vm)) (i64x2.extmul_low_i32x4_u (local.get $vu1) (local.get $vms))))))
        (v128.store offset=16 (local.get $pc) (i64x2.add (v128.load offset=16 (local.get $pc)) (i64x2.add
          (i64x2.add (i64x2.extmul_high_i32x4_u (local.get $va0) (local.get $vb)) (i64x2.extmul_high_i32x4_u (local.get $va1) (local.get $vbs)))
          (i64x2.add (i64x2.extmul_high_i32x4_u (local.get $vu0) (local.get $vm)) (i64x2.extmul_high_i32x4_u (local.get $vu1) (local.get $vms))))))
        (local.set $pd (i32.add (local.get $pd) (i32.const 16)))
        (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
        (br_if $four (i32.lt_u (local.get $pm) (local.get $mend))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $row (i32.lt_u (local.get $i) (global.get $L))))
    (call $settle (local.get $r) (local.get $c)))

  ;; Bit i of the exponent.
  (func $bit (param $i i32) (result i32)
    (i32.and (i32.shr_u
      (i32.load (i32.add (global.get $MEXP) (i32.shl (i32.div_u (local.get $i) (i32.const 28)) (i32.const 2))))
      (i32.rem_u (local.get $i) (i32.const 28))) (i32.const 1)))

  ;; Whether the numbers at a and b (L normalized limbs) are equal.
  (func $eq (param $a i32) (param $b i32) (result i32)
    (local $i i32)
    (loop $next
      (if (i32.ne (i32.load (i32.add (local.get $a) (local.get $i))) (i32.load (i32.add (local.get $b) (local.get $i))))
        (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $next (i32.lt_u (local.get $i) (i32.shl (global.get $L) (i32.const 2)))))
    (i32.const 1))

  ;; x mod m for x < 2m, in place: x - m (into the doubled copy's slot, which is zero between
  ;; squarings) unless that borrows out of the top limb.
  (func $reduce (param $x i32)
    (local $i i32) (local $t i64)
    (loop $next
      (local.set $t (i64.sub (i64.add (local.get $t) (i64.load32_u (i32.add (local.get $x) (local.get $i))))
        (i64.load32_u (i32.add (global.get $MM) (local.get $i)))))
      (i64.store32 (i32.add (global.get $MDBL) (local.get $i)) (i64.and (local.get $t) (i64.const 0xfffffff)))
      (local.set $t (i64.shr_s (local.get $t) (i64.const 28)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $next (i32.lt_u (local.get $i) (i32.shl (global.get $L) (i32.const 2)))))
    (if (i64.eqz (local.get $t)) (then (memory.copy (local.get $x) (global.get $MDBL) (local.get $i))))
    (memory.fill (global.get $MDBL) (i32.const 0) (local.get $i)))

  ;; The modulus sits at $MM (L limbs, zero above): sets L and -m^-1 mod 2^28, and clears every
  ;; slot from the base on.
  (func (export "setup") (param $l i32)
    (local $m i64) (local $x i64)
    (global.set $L (local.get $l))
    (memory.fill (global.get $MBASE) (i32.const 0) (i32.sub (i32.const 65536) (global.get $MBASE)))
    ;; m^-1 mod 2^28 by Newton's iteration (each step doubles the correct bits: 3, 6, 12, 24, 48)
    (local.set $m (i64.load32_u (global.get $MM)))
    (local.set $x (local.get $m))
    (local.set $x (i64.mul (local.get $x) (i64.sub (i64.const 2) (i64.mul (local.get $m) (local.get $x)))))
    (local.set $x (i64.mul (local.get $x) (i64.sub (i64.const 2) (i64.mul (local.get $m) (local.get $x)))))
    (local.set $x (i64.mul (local.get $x) (i64.sub (i64.const 2) (i64.mul (local.get $m) (local.get $x)))))
    (local.set $x (i64.mul (local.get $x) (i64.sub (i64.const 2) (i64.mul (local.get $m) (local.get $x)))))
    (global.set $MINV (i64.and (i64.sub (i64.const 0) (local.get $x)) (i64.const 0xfffffff))))

  ;; Whether the base at $MBASE (below m) witnesses that m is composite (Miller-Rabin), where
  ;; m - 1 = 2^twos * the odd exponent at $MEXP of nbits bits; $MR2, $MONE and $MNEG hold R^2, R
  ;; and m - R, all mod m. A left-to-right sliding window of 5 bits over 16 odd powers.
  (func (export "witness") (param $nbits i32) (param $twos i32) (result i32)
    (local $i i32) (local $l i32) (local $k i32) (local $v i32) (local $first i32)
    (call $montmul (global.get $MBASE) (global.get $MR2) (global.get $MT))
    (call $montsqr (global.get $MT) (global.get $MSQ))
    (local.set $k (i32.const 1))
    (loop $table
      (call $montmul (i32.add (global.get $MT) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 9)))
        (global.get $MSQ) (i32.add (global.get $MT) (i32.shl (local.get $k) (i32.const 9))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $table (i32.lt_u (local.get $k) (i32.const 16))))
    (local.set $i (i32.sub (local.get $nbits) (i32.const 1)))
    (local.set $first (i32.const 1))
    (block $done
      (loop $window
        (br_if $done (i32.lt_s (local.get $i) (i32.const 0)))
        (if (i32.eqz (call $bit (local.get $i)))
          (then
            (call $montsqr (global.get $MX) (global.get $MX))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br $window)))
        (local.set $l (select (i32.sub (local.get $i) (i32.const 4)) (i32.const 0)
          (i32.gt_s (i32.sub (local.get $i) (i32.const 4)) (i32.const 0))))
        (block $odd (loop $trim
          (br_if $odd (call $bit (local.get $l)))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br $trim)))
        (local.set $v (i32.const 0))
        (local.set $k (local.get $i))
        (loop $value
          (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 1)) (call $bit (local.get $k))))
          (if (i32.eqz (local.get $first))
            (then (call $montsqr (global.get $MX) (global.get $MX))))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $value (i32.ge_s (local.get $k) (local.get $l))))
        (local.set $k (i32.add (global.get $MT) (i32.shl (i32.shr_u (local.get $v) (i32.const 1)) (i32.const 9))))
        (if (local.get $first)
          (then (memory.copy (global.get $MX) (local.get $k) (i32.shl (global.get $L) (i32.const 2))) (local.set $first (i32.const 0)))
          (else (call $montmul (global.get $MX) (local.get $k) (global.get $MX))))
        (local.set $i (i32.sub (local.get $l) (i32.const 1)))
        (br $window)))
    (call $reduce (global.get $MX))
    (if (call $eq (global.get $MX) (global.get $MONE)) (then (return (i32.const 0))))
    (if (call $eq (global.get $MX) (global.get $MNEG)) (then (return (i32.const 0))))
    (local.set $i (i32.const 1))
    (block $done
      (loop $square
        (br_if $done (i32.ge_u (local.get $i) (local.get $twos)))
        (call $montsqr (global.get $MX) (global.get $MX))
        (call $reduce (global.get $MX))
        (if (call $eq (global.get $MX) (global.get $MNEG)) (then (return (i32.const 0))))
        (if (call $eq (global.get $MX) (global.get $MONE)) (then (return (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $square)))
    (i32.const 1))
)
