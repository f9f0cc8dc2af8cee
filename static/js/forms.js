/* "Hiện mật khẩu": a switch under each password field marked data-reveal, so people
   on small screens can check what they typed (there is no second "repeat" field). */
(function () {
  Array.prototype.forEach.call(document.querySelectorAll("input[data-reveal]"), function (input, i) {
    var label = document.createElement("label");
    label.className = "choice";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = "reveal-" + i;
    box.addEventListener("change", function () { input.type = box.checked ? "text" : "password"; });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" Hiện mật khẩu"));
    input.parentNode.insertBefore(label, input.nextSibling);
  });
})();
