// Check-in by camera: the browser's BarcodeDetector reads the QR and submits the ticket number.
// Where the browser has no BarcodeDetector, the number is typed or the person is found by name.
// After each answer the field is ready for the next ticket: emptied after a check-in, selected after a refusal.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var code = document.getElementById("code");
    var form = document.getElementById("checkin-form");
    if (!code || !form) return;
    document.body.addEventListener("htmx:afterSettle", function () {
      var result = document.getElementById("checkin-result");
      if (!result || !result.textContent.trim()) return;
      if (result.classList.contains("ok")) code.value = "";
      code.focus();
      code.select();
    });
    var button = document.getElementById("scan");
    var video = document.getElementById("camera");
    if (!button || !video) return;
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { button.hidden = true; return; }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var last = "";
    button.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        (function tick() {
          detector.detect(video).then(function (found) {
            if (found.length && found[0].rawValue !== last) {
              last = found[0].rawValue; code.value = last;
              if (form.requestSubmit) form.requestSubmit(); else form.submit();
              setTimeout(function () { last = ""; }, 3000);
            }
            requestAnimationFrame(tick);
          }).catch(function () { requestAnimationFrame(tick); });
        })();
      }).catch(function () { button.textContent = "Камера недоступна: введите номер билета"; });
    });
  });
})();
