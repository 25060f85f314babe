// The growable array of the policy's build-time tables. Why not std::vector: a header-only library's
// non-template inline functions are analysed in every translation unit that includes it, with every
// library template they use instantiated there, whether or not that TU builds a policy. Each
// std::vector<T> whose push_back a build step calls costs such a TU about 22 M compiler
// instructions (g++ 12, -O0; tests/bench/compile_instructions.sh); this class costs a few, because it
// only holds trivially copyable values and moves them as bytes. Public interfaces keep std::vector.
#ifndef CORS_DETAIL_POD_VECTOR_HPP
#define CORS_DETAIL_POD_VECTOR_HPP

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <type_traits>

namespace cors::detail {

template <class T>
class pod_vector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "pod_vector copies its elements as bytes");

 public:
  pod_vector() noexcept = default;

  /// `n` copies of `value`.
  pod_vector(std::size_t n, const T& value) {
    reserve(n);
    for (std::size_t i = 0; i < n; ++i) std::memcpy(static_cast<void*>(data_ + i), &value, sizeof(T));
    size_ = n;
  }

  pod_vector(std::initializer_list<T> values) {
    reserve(values.size());
    for (const T& v : values) push_back(v);
  }

  pod_vector(const pod_vector& other) {
    reserve(other.size_);
    if (other.size_ != 0) std::memcpy(static_cast<void*>(data_), other.data_, other.size_ * sizeof(T));
    size_ = other.size_;
  }

  pod_vector(pod_vector&& other) noexcept : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
    other.data_ = nullptr;
    other.size_ = other.capacity_ = 0;
  }

  pod_vector& operator=(pod_vector other) noexcept {
    swap(other);
    return *this;
  }

  ~pod_vector() { std::free(data_); }

  void swap(pod_vector& other) noexcept {
    T* const d = data_;
    const std::size_t s = size_;
    const std::size_t c = capacity_;
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.data_ = d;
    other.size_ = s;
    other.capacity_ = c;
  }

  void push_back(const T& value) {
    if (size_ == capacity_) reserve(capacity_ == 0 ? 8 : capacity_ * 2);
    std::memcpy(static_cast<void*>(data_ + size_), &value, sizeof(T));
    ++size_;
  }

  /// Room for `n` elements; throws std::bad_alloc as operator new would.
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    void* const grown = std::realloc(static_cast<void*>(data_), n * sizeof(T));
    if (grown == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(grown);
    capacity_ = n;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] T* data() noexcept { return data_; }
  [[nodiscard]] const T* data() const noexcept { return data_; }
  [[nodiscard]] T& operator[](std::size_t i) noexcept { return data_[i]; }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  [[nodiscard]] T& back() noexcept { return data_[size_ - 1]; }
  [[nodiscard]] T* begin() noexcept { return data_; }
  [[nodiscard]] T* end() noexcept { return data_ + size_; }
  [[nodiscard]] const T* begin() const noexcept { return data_; }
  [[nodiscard]] const T* end() const noexcept { return data_ + size_; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace cors::detail

#endif  // CORS_DETAIL_POD_VECTOR_HPP
