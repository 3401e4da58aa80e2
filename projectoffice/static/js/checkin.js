// Check-in by camera: the browser's BarcodeDetector reads the QR and submits the ticket number.
// Where the browser has no BarcodeDetector, the number is typed or the person is found by name.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("scan");
    var video = document.getElementById("camera");
    var code = document.getElementById("code");
    var form = document.getElementById("checkin-form");
    if (!button || !video || !code || !form) return;
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
