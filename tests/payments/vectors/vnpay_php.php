<?php
// Signature vectors made the way VNPay's own PHP demo (vnpay_php/vnpay_ipn.php, 2.1.0) makes
// them: ksort, urlencode(key)=urlencode(value) joined by &, HMAC-SHA512 with the secret.
$secret = "SECRETVECTORS0123456789ABCDEF";
$printable = "";
for ($c = 32; $c < 127; $c++) { $printable .= chr($c); }
$values = [
  "printable" => $printable,
  "tilde" => "Ma~so",
  "star_bang_quotes" => "a*b!c'd(e)f",
  "spaces" => "Nop phi  le phi ho so",
  "vietnamese" => "Nộp phí, lệ phí hồ sơ Đăng ký khai sinh – Thanh Hóa",
  "emoji" => "Cảm ơn 🙏 😀",
  "plus_amp_eq" => "a+b&c=d%e/f?g#h",
];
$out = ["encoding" => [], "signatures" => []];
foreach ($values as $name => $v) {
  $out["encoding"][] = ["name" => $name, "value" => $v, "encoded" => urlencode($v)];
}
foreach ($values as $name => $v) {
  $params = [
    "vnp_Amount" => "1500000", "vnp_BankCode" => "NCB", "vnp_OrderInfo" => $v,
    "vnp_ResponseCode" => "00", "vnp_TmnCode" => "DEMOV001", "vnp_TransactionNo" => "14226112",
    "vnp_TransactionStatus" => "00", "vnp_TxnRef" => "TT2612071000AB12CD34",
  ];
  ksort($params);
  $i = 0; $hashData = "";
  foreach ($params as $key => $value) {
    if ($i == 1) { $hashData = $hashData . '&' . urlencode($key) . "=" . urlencode($value); }
    else { $hashData = $hashData . urlencode($key) . "=" . urlencode($value); $i = 1; }
  }
  $out["signatures"][] = ["name" => $name, "params" => $params, "data" => $hashData,
                          "hash" => hash_hmac('sha512', $hashData, $secret)];
}
$out["secret"] = $secret;
$out["made_by"] = "PHP " . PHP_VERSION . " urlencode + hash_hmac, as VNPay's vnpay_ipn.php demo";
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
