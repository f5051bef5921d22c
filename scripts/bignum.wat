;; Big-number kernels for RSA key checks: the source of src/core/bignum-wasm-bytes.ts
;; (assembled by scripts/build-wasm.mjs). Numbers are little-endian arrays of 28-bit limbs,
;; one per 32-bit word, so that a column of up to 255 products of two limbs sums in an i64
;; without any carry handling; carries are settled once per column.
(module
  ;; The second page holds base64 text (from 65536) and the bytes decoded from it (from 98304).
  (memory (export "memory") 2)

  ;; Slots of the consistency check (1 KB each).
  ;; 16..4095 holds the RSAPrivateKey contents copied from the DER.
  (global $N i32 (i32.const 4096))
  (global $E i32 (i32.const 5120))
  (global $D i32 (i32.const 6144))
  (global $P i32 (i32.const 7168))
  (global $Q i32 (i32.const 8192))
  (global $DP i32 (i32.const 9216))
  (global $DQ i32 (i32.const 10240))
  (global $QI i32 (i32.const 11264))
  (global $T1 i32 (i32.const 12288))
  (global $PM1 i32 (i32.const 13312))
  (global $QM1 i32 (i32.const 14336))
  ;; g of the ratio check (one limb)
  (global $G i32 (i32.const 15360))
  (global $MS i32 (i32.const 16384))
  ;; Column accumulators (i64) of $mul and $divisible.
  (global $ACC i32 (i32.const 36352))

  ;; Big-endian bytes [src, src+len) to limbs at dst, 7 bytes (two limbs) at a time from the
  ;; end, with zero limbs above up to 128; returns the limb count without zero limbs on top. Each step
  ;; reads the 8 bytes from p-1, drops the first and reverses the other 7 into one number; the
  ;; last step masks off the bytes before src (src >= 8: the integers lie past offset 16).
  (func $load (param $src i32) (param $len i32) (param $dst i32) (result i32)
    (local $v i64) (local $p i32) (local $q i32)
    (local.set $p (i32.add (local.get $src) (local.get $len)))
    (local.set $q (local.get $dst))
    (block $done
      (loop $seven
        (br_if $done (i32.le_s (local.get $p) (local.get $src)))
        (local.set $p (i32.sub (local.get $p) (i32.const 7)))
        (local.set $v (i64x2.extract_lane 0 (i8x16.swizzle (v128.load64_zero (i32.sub (local.get $p) (i32.const 1)))
          (v128.const i8x16 7 6 5 4 3 2 1 16 16 16 16 16 16 16 16 16))))
        (if (i32.lt_s (local.get $p) (local.get $src))
          (then (local.set $v (i64.and (local.get $v) (i64.sub (i64.shl (i64.const 1)
            (i64.extend_i32_u (i32.shl (i32.sub (i32.add (local.get $p) (i32.const 7)) (local.get $src)) (i32.const 3))))
            (i64.const 1))))))
        (i64.store32 (local.get $q) (i64.and (local.get $v) (i64.const 0xfffffff)))
        (i64.store32 offset=4 (local.get $q) (i64.shr_u (local.get $v) (i64.const 28)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $seven)))
    (memory.fill (local.get $q) (i32.const 0) (i32.sub (i32.add (local.get $dst) (i32.const 512)) (local.get $q)))
    (call $norm (local.get $dst) (i32.shr_u (i32.sub (local.get $q) (local.get $dst)) (i32.const 2))))

  ;; The length of the number at a once zero limbs on top are dropped.
  (func $norm (param $a i32) (param $n i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (br_if $done (i32.load (i32.add (local.get $a)
          (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 2)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; Sign of a - b for normalized numbers.
  (func $cmp (param $a i32) (param $na i32) (param $b i32) (param $nb i32) (result i32)
    (local $x i32) (local $y i32)
    (if (i32.ne (local.get $na) (local.get $nb))
      (then (return (select (i32.const -1) (i32.const 1) (i32.lt_u (local.get $na) (local.get $nb))))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $na)))
        (local.set $na (i32.sub (local.get $na) (i32.const 1)))
        (local.set $x (i32.load (i32.add (local.get $a) (i32.shl (local.get $na) (i32.const 2)))))
        (local.set $y (i32.load (i32.add (local.get $b) (i32.shl (local.get $na) (i32.const 2)))))
        (if (i32.ne (local.get $x) (local.get $y))
          (then (return (select (i32.const -1) (i32.const 1) (i32.lt_u (local.get $x) (local.get $y))))))
        (br $next)))
    (i32.const 0))

  ;; r = a * b, row by row (operand scanning) into i64 column sums, carries settled in one pass at
  ;; the end; every row has the same length (nb rounded up to 4, over b's zero limbs), so its loop
  ;; branch is always predicted. Returns the length of r; r must not overlap a or b.
  (func $mul (param $a i32) (param $na i32) (param $b i32) (param $nb i32) (param $r i32) (result i32)
    (local $i i32) (local $va v128) (local $vb v128) (local $pb i32) (local $pc i32) (local $bend i32) (local $t i64) (local $top i32)
    (if (i32.or (i32.eqz (local.get $na)) (i32.eqz (local.get $nb))) (then (return (i32.const 0))))
    (local.set $top (i32.add (local.get $na) (local.get $nb)))
    (memory.fill (global.get $ACC) (i32.const 0) (i32.shl (i32.add (local.get $top) (i32.const 4)) (i32.const 3)))
    (local.set $bend (i32.add (local.get $b) (i32.shl (local.get $nb) (i32.const 2))))
    (loop $row
      (local.set $va (i32x4.splat (i32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $pb (local.get $b))
      (local.set $pc (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3))))
      (loop $four
        (local.set $vb (v128.load (local.get $pb)))
        (v128.store (local.get $pc) (i64x2.add (v128.load (local.get $pc))
          (i64x2.extmul_low_i32x4_u (local.get $va) (local.get $vb))))
        (v128.store offset=16 (local.get $pc) (i64x2.add (v128.load offset=16 (local.get $pc))
          (i64x2.extmul_high_i32x4_u (local.get $va) (local.get $vb))))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
        (br_if $four (i32.lt_u (local.get $pb) (local.get $bend))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $i) (local.get $na))))
    (local.set $i (i32.const 0))
    (loop $carry
      (local.set $t (i64.add (local.get $t) (i64.load (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3))))))
      (i64.store32 (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 2))) (i64.and (local.get $t) (i64.const 0xfffffff)))
      (local.set $t (i64.shr_u (local.get $t) (i64.const 28)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $carry (i32.lt_u (local.get $i) (local.get $top))))
    (call $norm (local.get $r) (local.get $top)))

  ;; r = a - b; returns the length of r, or -1 when b > a. r may be a.
  (func $sub (param $a i32) (param $na i32) (param $b i32) (param $nb i32) (param $r i32) (result i32)
    (local $i i32) (local $t i64)
    (if (i32.gt_u (local.get $nb) (local.get $na)) (then (return (i32.const -1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $na)))
        (local.set $t (i64.add (local.get $t)
          (i64.load32_u (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))))
        (if (i32.lt_u (local.get $i) (local.get $nb))
          (then (local.set $t (i64.sub (local.get $t)
            (i64.load32_u (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2))))))))
        (i64.store32 (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 2)))
          (i64.and (local.get $t) (i64.const 0xfffffff)))
        (local.set $t (i64.shr_s (local.get $t) (i64.const 28)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (i64.ne (local.get $t) (i64.const 0)) (then (return (i32.const -1))))
    (call $norm (local.get $r) (local.get $na)))

  ;; a = a - 1 for a >= 1; returns the new length.
  (func $dec (param $a i32) (param $na i32) (result i32)
    (local $p i32) (local $v i32)
    (local.set $p (local.get $a))
    (loop $next
      (local.set $v (i32.load (local.get $p)))
      (if (i32.eqz (local.get $v))
        (then
          (i32.store (local.get $p) (i32.const 0xfffffff))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br $next))))
    (i32.store (local.get $p) (i32.sub (local.get $v) (i32.const 1)))
    (call $norm (local.get $a) (local.get $na)))

  ;; m^-1 mod 2^28 for odd m, by Newton's iteration (each step doubles the correct bits: 3, 6, 12, 24, 48).
  (func $inverse (param $m i64) (result i64)
    (local $x i64)
    (local.set $x (local.get $m))
    (local.set $x (i64.mul (local.get $x) (i64.sub (i64.const 2) (i64.mul (local.get $m) (local.get $x)))))
    (local.set $x (i64.mul (local.get $x) (i64.sub (i64.const 2) (i64.mul (local.get $m) (local.get $x)))))
    (local.set $x (i64.mul (local.get $x) (i64.sub (i64.const 2) (i64.mul (local.get $m) (local.get $x)))))
    (local.set $x (i64.mul (local.get $x) (i64.sub (i64.const 2) (i64.mul (local.get $m) (local.get $x)))))
    (i64.and (local.get $x) (i64.const 0xfffffff)))

  ;; Whether m divides x (m > 0), with no division: m = 2^s * o with o odd; x must end in s zero
  ;; bits, and the quotient by o, found from the low limbs up (Hensel/exact division), must leave
  ;; nothing in the high limbs. x is left intact.
  (func $divisible (param $x i32) (param $nx i32) (param $m i32) (param $nm i32) (result i32)
    (local $z i32) (local $s i64) (local $no i32) (local $i i32) (local $j i32) (local $lo i32) (local $hi i32)
    (local $q i32) (local $col i64) (local $inv i64) (local $w i64) (local $vw v128) (local $vo v128)
    (if (i32.eqz (local.get $nx)) (then (return (i32.const 1))))
    ;; zero limbs at the bottom of m, then the zero bits of its first nonzero limb
    (block $found
      (loop $next
        (br_if $found (i32.load (i32.add (local.get $m) (i32.shl (local.get $z) (i32.const 2)))))
        (if (i32.ge_u (local.get $z) (local.get $nx)) (then (return (i32.const 0))))
        (if (i32.load (i32.add (local.get $x) (i32.shl (local.get $z) (i32.const 2))))
          (then (return (i32.const 0))))
        (local.set $z (i32.add (local.get $z) (i32.const 1)))
        (br $next)))
    (if (i32.ge_u (local.get $z) (local.get $nx)) (then (return (i32.const 0))))
    (local.set $s (i64.ctz (i64.load32_u (i32.add (local.get $m) (i32.shl (local.get $z) (i32.const 2))))))
    (if (i32.wrap_i64 (i64.and (i64.load32_u (i32.add (local.get $x) (i32.shl (local.get $z) (i32.const 2))))
          (i64.sub (i64.shl (i64.const 1) (local.get $s)) (i64.const 1))))
      (then (return (i32.const 0))))
    ;; o = m >> (28z + s) into $MS
    (local.set $no (i32.sub (local.get $nm) (local.get $z)))
    (local.set $i (i32.const 0))
    (loop $shift
      (local.set $w (i64.load32_u (i32.add (local.get $m) (i32.shl (i32.add (local.get $z) (local.get $i)) (i32.const 2)))))
      (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $no))
        (then (local.set $w (i64.or (local.get $w) (i64.shl
          (i64.load32_u (i32.add (local.get $m) (i32.shl (i32.add (i32.add (local.get $z) (local.get $i)) (i32.const 1)) (i32.const 2))))
          (i64.const 28))))))
      (i64.store32 (i32.add (global.get $MS) (i32.shl (local.get $i) (i32.const 2)))
        (i64.and (i64.shr_u (local.get $w) (local.get $s)) (i64.const 0xfffffff)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $shift (i32.lt_u (local.get $i) (local.get $no))))
    (local.set $no (call $norm (global.get $MS) (local.get $no)))
    (if (i32.lt_u (local.get $nx) (local.get $no)) (then (return (i32.const 0))))
    ;; zero limbs above o, for rows rounded up to 4
    (i64.store (i32.add (global.get $MS) (i32.shl (local.get $no) (i32.const 2))) (i64.const 0))
    (i64.store offset=8 (i32.add (global.get $MS) (i32.shl (local.get $no) (i32.const 2))) (i64.const 0))
    ;; the column sums start as x, zero above
    (memory.fill (global.get $ACC) (i32.const 0) (i32.shl (i32.add (local.get $nx) (i32.const 8)) (i32.const 3)))
    (local.set $i (i32.const 0))
    (loop $copy
      (i64.store (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3)))
        (i64.load32_u (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $copy (i32.lt_u (local.get $i) (local.get $nx))))
    ;; q = nx - no + 1 quotient digits, each making its column vanish; row i subtracts k o[j] from
    ;; column i+j, for j from 1 to no-1 rounded up to 4
    (local.set $q (i32.add (i32.sub (local.get $nx) (local.get $no)) (i32.const 1)))
    (local.set $inv (call $inverse (i64.load32_u (global.get $MS))))
    (local.set $hi (i32.add (global.get $MS) (i32.shl (local.get $no) (i32.const 2))))
    (local.set $i (i32.const 0))
    (loop $row
      (local.set $col (i64.add (local.get $col) (i64.load (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $w (i64.and (i64.mul (i64.and (local.get $col) (i64.const 0xfffffff)) (local.get $inv)) (i64.const 0xfffffff)))
      (local.set $col (i64.shr_s (i64.sub (local.get $col) (i64.mul (local.get $w) (i64.load32_u (global.get $MS)))) (i64.const 28)))
      (local.set $j (i32.add (global.get $MS) (i32.const 4)))
      (local.set $lo (i32.add (global.get $ACC) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 3))))
      (if (i32.lt_u (local.get $j) (local.get $hi))
        (then
          (local.set $vw (i32x4.splat (i32.wrap_i64 (local.get $w))))
          (loop $four
            (local.set $vo (v128.load (local.get $j)))
            (v128.store (local.get $lo) (i64x2.sub (v128.load (local.get $lo))
              (i64x2.extmul_low_i32x4_u (local.get $vw) (local.get $vo))))
            (v128.store offset=16 (local.get $lo) (i64x2.sub (v128.load offset=16 (local.get $lo))
              (i64x2.extmul_high_i32x4_u (local.get $vw) (local.get $vo))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (local.set $lo (i32.add (local.get $lo) (i32.const 32)))
            (br_if $four (i32.lt_u (local.get $j) (local.get $hi))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $i) (local.get $q))))
    ;; what is left in columns q .. nx must be zero
    (loop $rest
      (local.set $col (i64.add (local.get $col) (i64.load (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3))))))
      (if (i32.wrap_i64 (i64.and (local.get $col) (i64.const 0xfffffff))) (then (return (i32.const 0))))
      (local.set $col (i64.shr_s (local.get $col) (i64.const 28)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rest (i32.le_u (local.get $i) (local.get $nx))))
    (i64.eqz (local.get $col)))

  ;; Whether odd p divides qinv q - 1 (1 <= qinv < p), in one pass of rows, Montgomery's way: the
  ;; column sums start as p - 1 (p divides qinv q - 1 when it divides qinv q + p - 1), and row i
  ;; adds q[i] qinv[j] and u p[j] to column i+j, u making column i vanish mod 2^28, whose carry
  ;; then joins column i+1. After the nq rows of q the columns from nq on hold
  ;; T = (qinv q + p - 1 + U p) / 2^(28 nq) for some U < 2^(28 nq), which p divides exactly when it
  ;; divides qinv q + p - 1; and 0 < T < 2p (qinv q + p - 1 < p (q + 1) <= p 2^(28 nq)), so p
  ;; divides it exactly when T = p. Columns get at most 2 nq <= 152 products: exact in an i64.
  ;; The same rows add q[i] p[j] to the columns 2048 bytes above, which then must spell n: n = p q
  ;; (the caller's other checks do not rely on it, and a key is confirmed only when all hold).
  (func $qinv (param $np i32) (param $nq i32) (param $nn i32) (result i32)
    (local $i i32) (local $pb i32) (local $pm i32) (local $pc i32) (local $pend i32)
    (local $ai i64) (local $u i64) (local $t i64) (local $minv i64)
    (local $va v128) (local $vu v128) (local $vb v128) (local $vm v128)
    (local.set $minv (i64.and (i64.sub (i64.const 0x10000000) (call $inverse (i64.load32_u (global.get $P))))
      (i64.const 0xfffffff)))
    (memory.fill (global.get $ACC) (i32.const 0)
      (i32.add (i32.shl (i32.add (i32.add (local.get $np) (local.get $nq)) (i32.const 8)) (i32.const 3)) (i32.const 2048)))
    (loop $copy
      (i64.store (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3)))
        (i64.load32_u (i32.add (global.get $PM1) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $copy (i32.lt_u (local.get $i) (local.get $np))))
    (local.set $pend (i32.add (global.get $P) (i32.shl (local.get $np) (i32.const 2))))
    (local.set $i (i32.const 0))
    (loop $row
      (local.set $ai (i64.load32_u (i32.add (global.get $Q) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $pc (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $t (i64.add (i64.load (local.get $pc)) (i64.mul (local.get $ai) (i64.load32_u (global.get $QI)))))
      (local.set $u (i64.and (i64.mul (i64.and (local.get $t) (i64.const 0xfffffff)) (local.get $minv)) (i64.const 0xfffffff)))
      (local.set $va (i32x4.splat (i32.wrap_i64 (local.get $ai))))
      (local.set $vu (i32x4.splat (i32.wrap_i64 (local.get $u))))
      (local.set $pb (global.get $QI))
      (local.set $pm (global.get $P))
      (loop $four
        (local.set $vb (v128.load (local.get $pb)))
        (local.set $vm (v128.load (local.get $pm)))
        (v128.store (local.get $pc) (i64x2.add (v128.load (local.get $pc)) (i64x2.add
          (i64x2.extmul_low_i32x4_u (local.get $va) (local.get $vb))
          (i64x2.extmul_low_i32x4_u (local.get $vu) (local.get $vm)))))
        (v128.store offset=16 (local.get $pc) (i64x2.add (v128.load offset=16 (local.get $pc)) (i64x2.add
          (i64x2.extmul_high_i32x4_u (local.get $va) (local.get $vb))
          (i64x2.extmul_high_i32x4_u (local.get $vu) (local.get $vm)))))
        (v128.store offset=2048 (local.get $pc) (i64x2.add (v128.load offset=2048 (local.get $pc))
          (i64x2.extmul_low_i32x4_u (local.get $va) (local.get $vm))))
        (v128.store offset=2064 (local.get $pc) (i64x2.add (v128.load offset=2064 (local.get $pc))
          (i64x2.extmul_high_i32x4_u (local.get $va) (local.get $vm))))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
        (br_if $four (i32.lt_u (local.get $pm) (local.get $pend))))
      (local.set $pc (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3))))
      (i64.store offset=8 (local.get $pc) (i64.add (i64.load offset=8 (local.get $pc))
        (i64.shr_u (i64.load (local.get $pc)) (i64.const 28))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $i) (local.get $nq))))
    ;; T, carries settled, against p limb by limb (limb np of p is zero)
    (local.set $t (i64.const 0))
    (local.set $i (i32.const 0))
    (loop $limb
      (local.set $t (i64.add (local.get $t)
        (i64.load (i32.add (global.get $ACC) (i32.shl (i32.add (local.get $i) (local.get $nq)) (i32.const 3))))))
      (if (i64.ne (i64.and (local.get $t) (i64.const 0xfffffff))
            (i64.load32_u (i32.add (global.get $P) (i32.shl (local.get $i) (i32.const 2)))))
        (then (return (i32.const 0))))
      (local.set $t (i64.shr_u (local.get $t) (i64.const 28)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $limb (i32.le_u (local.get $i) (local.get $np))))
    ;; p q, carries settled, against n: its nn limbs, then zero up to np + nq limbs
    (if (i32.gt_u (local.get $nn) (i32.add (local.get $np) (local.get $nq))) (then (return (i32.const 0))))
    (local.set $t (i64.const 0))
    (local.set $i (i32.const 0))
    (loop $n
      (local.set $t (i64.add (local.get $t)
        (i64.load offset=2048 (i32.add (global.get $ACC) (i32.shl (local.get $i) (i32.const 3))))))
      (if (i64.ne (i64.and (local.get $t) (i64.const 0xfffffff))
            (select (i64.load32_u (i32.add (global.get $N) (i32.shl (local.get $i) (i32.const 2)))) (i64.const 0)
              (i32.lt_u (local.get $i) (local.get $nn))))
        (then (return (i32.const 0))))
      (local.set $t (i64.shr_u (local.get $t) (i64.const 28)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $n (i32.lt_u (local.get $i) (i32.add (local.get $np) (local.get $nq)))))
    (i32.const 1))

    ;; Base64 (standard alphabet) of the len ASCII bytes at src into dst, 16 characters at a
  ;; time (the caller pads the text to a multiple of 16 with 'A', padding included, and gives
  ;; dst 16 bytes of room past the result): 1 when every character is in the alphabet. W. Mula's
  ;; method: two tables indexed by a byte's low and high nibbles share a bit exactly when it is
  ;; outside the alphabet; a third, by high nibble ('/' moved down one), holds what to add to
  ;; get its 6 bits. Pairs of those merge into 12 bits per 16-bit lane, pairs of these into 24
  ;; bits per 32-bit lane (a dot product), and the three bytes of each lane are picked out in order.
  (func (export "base64") (param $src i32) (param $len i32) (param $dst i32) (result i32)
    (local $end i32) (local $c v128) (local $hi v128) (local $v v128) (local $bad v128) (local $f v128)
    (local.set $end (i32.add (local.get $src) (local.get $len)))
    (local.set $f (i8x16.splat (i32.const 15)))
    (loop $sixteen
      (local.set $c (v128.load (local.get $src)))
      (local.set $hi (v128.and (i16x8.shr_u (local.get $c) (i32.const 4)) (local.get $f)))
      (local.set $bad (v128.or (local.get $bad) (v128.and
        (i8x16.swizzle (v128.const i8x16 0x15 0x11 0x11 0x11 0x11 0x11 0x11 0x11 0x11 0x11 0x13 0x1a 0x1b 0x1b 0x1b 0x1a)
          (v128.and (local.get $c) (local.get $f)))
        (i8x16.swizzle (v128.const i8x16 0x10 0x10 1 2 4 8 4 8 0x10 0x10 0x10 0x10 0x10 0x10 0x10 0x10) (local.get $hi)))))
      (local.set $v (i8x16.add (local.get $c) (i8x16.swizzle (v128.const i8x16 0 16 19 4 -65 -65 -71 -71 0 0 0 0 0 0 0 0)
        (i8x16.add (local.get $hi) (i8x16.eq (local.get $c) (i8x16.splat (i32.const 47)))))))
      (local.set $v (v128.or (i16x8.shl (v128.and (local.get $v) (i16x8.splat (i32.const 255))) (i32.const 6))
                             (i16x8.shr_u (local.get $v) (i32.const 8))))
      (v128.store (local.get $dst)
        (i8x16.swizzle (i32x4.dot_i16x8_s (local.get $v) (i32x4.splat (i32.const 0x11000)))
          (v128.const i8x16 2 1 0 6 5 4 10 9 8 14 13 12 16 16 16 16)))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 12)))
      (br_if $sixteen (i32.lt_u (local.get $src) (local.get $end))))
    (i32.eqz (v128.any_true (local.get $bad))))

  ;; The three limbs at a (from the lowest) as one number (in units of the lowest).
  (func $top (param $a i32) (result f64)
    (f64.add (f64.mul (f64.add (f64.mul (f64.convert_i32_u (i32.load offset=8 (local.get $a))) (f64.const 0x10000000))
      (f64.convert_i32_u (i32.load offset=4 (local.get $a)))) (f64.const 0x10000000))
      (f64.convert_i32_u (i32.load (local.get $a)))))

    ;; The checks of one prime's CRT exponent x (dp or dq) against m = that prime - 1, e at $E
  ;; and d at $D (of ne and nd limbs): x < m and m divides e x - 1 (so e is invertible mod m),
  ;; and, unless the caller has shown that m divides e d - 1 (which then makes x = d mod m),
  ;; m divides d - x. 1 when all hold.
  (func $exponent (param $x i32) (param $nx i32) (param $m i32) (param $nm i32) (param $ne i32) (param $nd i32) (param $shown i32) (result i32)
    (local $nt i32) (local $j i32) (local $k f64) (local $c i64)
    (block $shown
    (if (i32.ge_s (call $cmp (local.get $x) (local.get $nx) (local.get $m) (local.get $nm)) (i32.const 0))
      (then (return (i32.const 0))))
    ;; For e of one limb and m of three or more: e x - 1 = k m with k = e x / m rounded, from the
    ;; top three limbs (exact to far below 1/2 for k < 2^28), checked limb by limb in one pass.
    ;; Passing shows the division; failing leaves it to the exact division below.
    (block $guess
      (br_if $guess (i32.or (i32.ne (local.get $ne) (i32.const 1)) (i32.lt_u (local.get $nm) (i32.const 3))))
      (local.set $j (i32.shl (i32.sub (local.get $nm) (i32.const 3)) (i32.const 2)))
      (local.set $k (f64.nearest (f64.div
        (f64.mul (f64.convert_i32_u (i32.load (global.get $E))) (call $top (i32.add (local.get $x) (local.get $j))))
        (call $top (i32.add (local.get $m) (local.get $j))))))
      (br_if $guess (i32.eqz (f64.lt (local.get $k) (f64.const 0x10000000))))
      (local.set $c (i64.const -1))
      (local.set $j (i32.const 0))
      (loop $limb
        (local.set $c (i64.sub (i64.add (local.get $c) (i64.mul (i64.load32_u (global.get $E))
            (i64.load32_u (i32.add (local.get $x) (local.get $j)))))
          (i64.mul (i64.trunc_f64_u (local.get $k)) (select (i64.load32_u (i32.add (local.get $m) (local.get $j))) (i64.const 0)
            (i32.lt_u (local.get $j) (i32.shl (local.get $nm) (i32.const 2)))))))
        (br_if $guess (i32.wrap_i64 (i64.and (local.get $c) (i64.const 0xfffffff))))
        (local.set $c (i64.shr_s (local.get $c) (i64.const 28)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $limb (i32.le_u (local.get $j) (i32.shl (local.get $nm) (i32.const 2)))))
      (br_if $guess (i64.ne (local.get $c) (i64.const 0)))
      (br $shown))
    (local.set $nt (call $mul (global.get $E) (local.get $ne) (local.get $x) (local.get $nx) (global.get $T1)))
    (if (i32.eqz (local.get $nt)) (then (return (i32.const 0))))
    (local.set $nt (call $dec (global.get $T1) (local.get $nt)))
    (if (i32.eqz (call $divisible (global.get $T1) (local.get $nt) (local.get $m) (local.get $nm)))
      (then (return (i32.const 0)))))
    (if (local.get $shown) (then (return (i32.const 1))))
    (local.set $nt (call $sub (global.get $D) (local.get $nd) (local.get $x) (local.get $nx) (global.get $T1)))
    (if (i32.lt_s (local.get $nt) (i32.const 0)) (then (return (i32.const 0))))
    (call $divisible (global.get $T1) (local.get $nt) (local.get $m) (local.get $nm)))

  ;; Every consistency check of an RSA private key whose integers sit at the given byte ranges
  ;; of memory: 0 when all hold, else the number of the first that fails. m and g are the
  ;; caller's estimate of the ratio e d - 1 : (p-1)(q-1) (0 and 0 for none).
  ;;
  ;; d mod (p-1) = dp holds when dp < p-1, e dp = 1 mod (p-1) and p-1 divides e d - 1 (e is
  ;; then invertible mod p-1, and e d = 1 = e dp); likewise for q. The ratio shows both
  ;; divisions with linear work: g (e d - 1) = m (p-1)(q-1) = m (n - p - (q-1)) for n = pq,
  ;; with 1 <= g, m < 2^28 and g dividing p-1 and q-1. Without it, or when it fails, the
  ;; divisibility of d - dp by p-1 and of d - dq by q-1 is tested instead.
  (func (export "check")
    (param $ns i32) (param $nl i32) (param $es i32) (param $el i32) (param $ds i32) (param $dl i32)
    (param $ps i32) (param $pl i32) (param $qs i32) (param $ql i32) (param $dps i32) (param $dpl i32)
    (param $dqs i32) (param $dql i32) (param $qis i32) (param $qil i32) (param $m i32) (param $g i32) (result i32)
    (local $nn i32) (local $ne i32) (local $nd i32) (local $np i32) (local $nq i32) (local $ndp i32)
    (local $ndq i32) (local $nqi i32) (local $npm i32) (local $nqm i32) (local $nt i32) (local $shown i32) (local $j i32) (local $c i64) (local $c1 i64)
    (local.set $nn (call $load (local.get $ns) (local.get $nl) (global.get $N)))
    (local.set $ne (call $load (local.get $es) (local.get $el) (global.get $E)))
    (local.set $nd (call $load (local.get $ds) (local.get $dl) (global.get $D)))
    (local.set $np (call $load (local.get $ps) (local.get $pl) (global.get $P)))
    (local.set $nq (call $load (local.get $qs) (local.get $ql) (global.get $Q)))
    (local.set $ndp (call $load (local.get $dps) (local.get $dpl) (global.get $DP)))
    (local.set $ndq (call $load (local.get $dqs) (local.get $dql) (global.get $DQ)))
    (local.set $nqi (call $load (local.get $qis) (local.get $qil) (global.get $QI)))
    ;; p, q >= 3 and distinct
    (if (i32.or (i32.eqz (local.get $np))
          (i32.and (i32.eq (local.get $np) (i32.const 1)) (i32.lt_u (i32.load (global.get $P)) (i32.const 3))))
      (then (return (i32.const 1))))
    (if (i32.or (i32.eqz (local.get $nq))
          (i32.and (i32.eq (local.get $nq) (i32.const 1)) (i32.lt_u (i32.load (global.get $Q)) (i32.const 3))))
      (then (return (i32.const 1))))
    (if (i32.eqz (call $cmp (global.get $P) (local.get $np) (global.get $Q) (local.get $nq)))
      (then (return (i32.const 2))))
    ;; n = p q (for odd p, in the pass of $qinv below)
    (if (i32.eqz (i32.and (i32.load (global.get $P)) (i32.const 1)))
      (then
        (local.set $nt (call $mul (global.get $P) (local.get $np) (global.get $Q) (local.get $nq) (global.get $T1)))
        (if (call $cmp (global.get $T1) (local.get $nt) (global.get $N) (local.get $nn)) (then (return (i32.const 3))))))
    ;; 1 <= d < n
    (if (i32.eqz (local.get $nd)) (then (return (i32.const 4))))
    (if (i32.ge_s (call $cmp (global.get $D) (local.get $nd) (global.get $N) (local.get $nn)) (i32.const 0))
      (then (return (i32.const 4))))
    ;; p-1, q-1
    (local.set $npm (call $sub (global.get $P) (local.get $np) (global.get $P) (i32.const 0) (global.get $PM1)))
    (local.set $npm (call $dec (global.get $PM1) (local.get $npm)))
    (local.set $nqm (call $sub (global.get $Q) (local.get $nq) (global.get $Q) (i32.const 0) (global.get $QM1)))
    (local.set $nqm (call $dec (global.get $QM1) (local.get $nqm)))
    ;; the ratio, for e of one limb: g (e d - 1) - m (n - p - q + 1) = 0 limb by limb, e d made
    ;; on the way (carry $c1), all zero above the lengths; then g divides p-1 and q-1
    (block $no
      (br_if $no (i32.or (i32.or (i32.eqz (local.get $g)) (i32.ne (local.get $ne) (i32.const 1)))
        (i32.ge_u (i32.or (local.get $g) (local.get $m)) (i32.const 0x10000000))))
      (local.set $c (i64.sub (i64.const 0) (i64.extend_i32_u (i32.add (local.get $m) (local.get $g)))))
      (loop $limb
        (local.set $c1 (i64.add (local.get $c1) (i64.mul (i64.load32_u (global.get $E))
          (i64.load32_u (i32.add (global.get $D) (local.get $j))))))
        (local.set $c (i64.add (i64.add (local.get $c)
          (i64.mul (i64.extend_i32_u (local.get $g)) (i64.and (local.get $c1) (i64.const 0xfffffff))))
          (i64.mul (i64.extend_i32_u (local.get $m)) (i64.extend_i32_s (i32.sub (i32.add
            (i32.load (i32.add (global.get $P) (local.get $j))) (i32.load (i32.add (global.get $Q) (local.get $j))))
            (i32.load (i32.add (global.get $N) (local.get $j))))))))
        (br_if $no (i32.wrap_i64 (i64.and (local.get $c) (i64.const 0xfffffff))))
        (local.set $c (i64.shr_s (local.get $c) (i64.const 28)))
        (local.set $c1 (i64.shr_u (local.get $c1) (i64.const 28)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $limb (i32.le_u (local.get $j) (i32.shl (local.get $nn) (i32.const 2)))))
      (br_if $no (i64.ne (i64.or (local.get $c) (local.get $c1)) (i64.const 0)))
      (local.set $shown (i32.const 1))
      (br_if $no (i32.eq (local.get $g) (i32.const 1)))
      (i32.store (global.get $G) (local.get $g))
      (local.set $shown (i32.and (call $divisible (global.get $PM1) (local.get $npm) (global.get $G) (i32.const 1))
        (call $divisible (global.get $QM1) (local.get $nqm) (global.get $G) (i32.const 1)))))
    ;; d mod (p-1) = dp, e dp = 1 mod (p-1); likewise for q
    (if (i32.eqz (call $exponent (global.get $DP) (local.get $ndp) (global.get $PM1) (local.get $npm)
          (local.get $ne) (local.get $nd) (local.get $shown)))
      (then (return (i32.const 5))))
    (if (i32.eqz (call $exponent (global.get $DQ) (local.get $ndq) (global.get $QM1) (local.get $nqm)
          (local.get $ne) (local.get $nd) (local.get $shown)))
      (then (return (i32.const 6))))
    ;; 1 <= qinv < p and p divides qinv q - 1
    (if (i32.eqz (local.get $nqi)) (then (return (i32.const 9))))
    (if (i32.ge_s (call $cmp (global.get $QI) (local.get $nqi) (global.get $P) (local.get $np)) (i32.const 0))
      (then (return (i32.const 9))))
    (if (i32.and (i32.load (global.get $P)) (i32.const 1))
      (then (return (select (i32.const 0) (i32.const 9) (call $qinv (local.get $np) (local.get $nq) (local.get $nn))))))
    (local.set $nt (call $mul (global.get $QI) (local.get $nqi) (global.get $Q) (local.get $nq) (global.get $T1)))
    (local.set $nt (call $dec (global.get $T1) (local.get $nt)))
    (if (i32.eqz (call $divisible (global.get $T1) (local.get $nt) (global.get $P) (local.get $np)))
      (then (return (i32.const 9))))
    (i32.const 0))
)
