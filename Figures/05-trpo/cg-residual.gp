# Conjugate gradient on the real Fisher: residual ‖g − (F + λI)x_k‖ / ‖g‖
# Render from this directory: gnuplot cg-residual.gp  (writes cg-residual.png)
if (!exists("outfile")) outfile = 'cg-residual.png'
set terminal pngcairo size 800,534 noenhanced font 'Sans,11'
set output outfile
set title 'Conjugate gradient on the real Fisher: residual ‖g − (F + λI)x_k‖ / ‖g‖'
set xlabel 'CG iteration'
set ylabel 'relative residual'
set key outside below center horizontal Left reverse samplen 2 maxcols 4 height 1
set grid
set logscale y
set format y '%g'
set xrange [0:10]
set yrange [8.03109219e-11:3.02499749]
set style fill transparent solid 0.2 noborder
plot 'cg-residual.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'update 1', \
     'cg-residual.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'update 4', \
     'cg-residual.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'update 7', \
     'cg-residual.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'update 10'
