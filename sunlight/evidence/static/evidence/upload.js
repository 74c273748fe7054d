/* Resumable upload of AV files to the evidence store (REC-6), with tus-js-client (vendor/tus/tus.min.js).
 * Chunks of data-chunk bytes; pause and resume; an interrupted upload (network, closed tab) continues from where the
 * server says it stopped when the same file is chosen again. Messages from the server are shown as they come. */
(function () {
  "use strict";
  var box = document.getElementById("upload");
  if (!box || !window.tus) { return; }
  var input = document.getElementById("upload-file");
  var startButton = document.getElementById("upload-start");
  var pauseButton = document.getElementById("upload-pause");
  var resumeButton = document.getElementById("upload-resume");
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var maxBytes = parseInt(box.dataset.max, 10);
  var upload = null;

  function say(text) { status.textContent = text; }

  function size(bytes) {
    var units = ["B", "KB", "MB", "GB", "TB"];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i += 1; }
    return (i ? bytes.toFixed(1) : String(bytes)) + " " + units[i];
  }

  function buttons(running) {
    startButton.disabled = true;
    pauseButton.disabled = !running;
    resumeButton.disabled = running;
  }

  function serverMessage(error) {
    var response = error && error.originalResponse;
    var body = response && response.getBody && response.getBody();
    if (body) { return String(body).trim(); }
    if (response && response.getStatus && response.getStatus() === 0) { return "网络连接中断。"; }
    return "网络连接中断或服务器无响应。";
  }

  input.addEventListener("change", function () {
    var file = input.files[0];
    upload = null;
    bar.value = 0;
    pauseButton.disabled = true;
    resumeButton.disabled = true;
    if (!file) { startButton.disabled = true; say(""); return; }
    if (file.size > maxBytes) {
      startButton.disabled = true;
      say("文件大小 " + size(file.size) + " 超过允许的上限 " + size(maxBytes) + "。");
      return;
    }
    startButton.disabled = false;
    say("已选择 " + file.name + "（" + size(file.size) + "）。");
  });

  startButton.addEventListener("click", function () {
    var file = input.files[0];
    if (!file) { return; }
    upload = new window.tus.Upload(file, {
      endpoint: box.dataset.endpoint,
      chunkSize: parseInt(box.dataset.chunk, 10),
      retryDelays: [0, 1000, 3000, 5000],
      headers: { "X-CSRFToken": box.dataset.csrf },
      metadata: { record: box.dataset.record, filename: file.name, filetype: file.type || "" },
      // Resume only uploads of the same file to the same record.
      fingerprint: function (f) {
        return Promise.resolve(["sunlight", box.dataset.record, f.name, f.size, f.lastModified].join(":"));
      },
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        var percent = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = percent;
        say("已上传 " + size(sent) + " / " + size(total) + "（" + percent + "%）");
      },
      onSuccess: function (payload) {
        var response = payload && payload.lastResponse;
        var sha = response && response.getHeader && response.getHeader("Sunlight-Evidence-Sha256");
        bar.value = 100;
        buttons(false);
        resumeButton.disabled = true;
        say("上传完成，两个存储副本均已校验入库。" + (sha ? "SHA-256：" + sha : "") + " 正在刷新页面…");
        window.setTimeout(function () { window.location.reload(); }, 800);
      },
      onError: function (error) {
        buttons(false);
        say("上传中断：" + serverMessage(error) + " 可点击“继续上传”从中断处继续。");
      }
    });
    buttons(true);
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        say("发现未完成的上传，正在从中断处继续…");
      } else {
        say("开始上传…");
      }
      upload.start();
    });
  });

  pauseButton.addEventListener("click", function () {
    if (!upload) { return; }
    upload.abort();
    buttons(false);
    say(status.textContent.replace(/^已上传/, "已暂停：已上传") + " 点击“继续上传”继续。");
  });

  resumeButton.addEventListener("click", function () {
    if (!upload) { return; }
    buttons(true);
    say("正在从中断处继续…");
    upload.start();
  });
}());
